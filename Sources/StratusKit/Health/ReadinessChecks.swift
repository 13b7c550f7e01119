import StratusNet
import Synchronization

/// A named readiness check, such as a database ping. It passes when it
/// returns and fails when it throws or runs past its timeout.
public struct ReadinessCheck: Sendable {
    public let name: String
    public let timeout: Duration
    let check: @Sendable () async throws -> Void

    public init(name: String, timeout: Duration = .seconds(2), check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.timeout = timeout
        self.check = check
    }
}

/// The result of one check, as `/readyz` reports it.
public struct ReadinessCheckResult: Sendable, Hashable, Codable {
    public var name: String
    /// "ok" or "failed".
    public var status: String
    /// Why the check failed; nil when it passed.
    public var error: String?
    public var durationMilliseconds: Double

    enum CodingKeys: String, CodingKey {
        case name, status, error, durationMilliseconds = "durationMs"
    }
}

/// The readiness report `/readyz` returns.
public struct ReadinessReport: Sendable, Hashable, Codable {
    /// "ready", "not ready" (a check failed or the service is starting) or
    /// "draining" (the service is shutting down).
    public var status: String
    public var checks: [ReadinessCheckResult]

    public var isReady: Bool { status == "ready" }
}

/// Whether the service takes traffic: started, not draining, and every
/// named check passing.
///
/// Checks run when `/readyz` is requested, concurrently, each within its
/// timeout. Thread safety: every method may be called from any task.
public final class Readiness: Sendable {
    private enum Phase {
        case starting
        case serving
        case draining
    }

    private let checks: [ReadinessCheck]
    private let phase = Mutex(Phase.starting)

    init(checks: [ReadinessCheck]) {
        self.checks = checks
    }

    /// Marks the service started: `/readyz` now reports the checks.
    func markServing() {
        phase.withLock { if $0 == .starting { $0 = .serving } }
    }

    /// Marks the service as shutting down: `/readyz` fails from now on.
    func markDraining() {
        phase.withLock { $0 = .draining }
    }

    /// Whether the service has started draining.
    public var isDraining: Bool {
        phase.withLock { $0 == .draining }
    }

    /// Runs every check and returns the report.
    public func report() async -> ReadinessReport {
        let current = phase.withLock { $0 }
        if current == .draining {
            return ReadinessReport(status: "draining", checks: [])
        }
        let results = await runChecks()
        let passed = results.allSatisfy { $0.error == nil }
        let status = current == .serving && passed ? "ready" : "not ready"
        return ReadinessReport(status: status, checks: results)
    }

    private func runChecks() async -> [ReadinessCheckResult] {
        await withTaskGroup(of: (Int, ReadinessCheckResult).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await Self.run(check)) }
            }
            var results = [ReadinessCheckResult?](repeating: nil, count: checks.count)
            for await (index, result) in group {
                results[index] = result
            }
            return results.compactMap { $0 }
        }
    }

    private static func run(_ check: ReadinessCheck) async -> ReadinessCheckResult {
        let start = MonotonicClock.now()
        let failure = await failureWithinTimeout(check)
        let elapsed = Double(MonotonicClock.now() - start) / 1_000_000
        return ReadinessCheckResult(
            name: check.name,
            status: failure == nil ? "ok" : "failed",
            error: failure,
            durationMilliseconds: (elapsed * 1000).rounded() / 1000
        )
    }

    /// Returns nil when the check passes, or why it failed. A check that
    /// ignores cancellation and runs past its timeout is left to finish in
    /// the background, so a stuck dependency cannot hang `/readyz`.
    private static func failureWithinTimeout(_ check: ReadinessCheck) async -> String? {
        let outcome = FirstOutcome()
        return await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let work = Task {
                do {
                    try await check.check()
                    outcome.resume(continuation, with: nil)
                } catch {
                    outcome.resume(continuation, with: "\(error)")
                }
            }
            let timer = Task {
                guard (try? await Task.sleep(for: check.timeout)) != nil else { return }
                // Resumes before cancelling: a check that returns once
                // cancelled still counts as timed out.
                outcome.resume(continuation, with: "timed out after \(check.timeout)")
                work.cancel()
            }
            outcome.onResume { timer.cancel() }
        }
    }
}

/// Resumes a continuation with whichever of two racing tasks finishes first.
private final class FirstOutcome: Sendable {
    private let state = Mutex<(resumed: Bool, cleanup: (@Sendable () -> Void)?)>((false, nil))

    func resume(_ continuation: CheckedContinuation<String?, Never>, with value: String?) {
        let cleanup: (@Sendable () -> Void)?? = state.withLock { state in
            guard !state.resumed else { return .none }
            state.resumed = true
            return .some(state.cleanup)
        }
        guard case .some(let cleanup) = cleanup else { return }
        continuation.resume(returning: value)
        cleanup?()
    }

    /// Runs `cleanup` after the continuation resumes, at once if it has.
    func onResume(_ cleanup: @escaping @Sendable () -> Void) {
        let resumed = state.withLock { state in
            if !state.resumed { state.cleanup = cleanup }
            return state.resumed
        }
        if resumed { cleanup() }
    }
}
