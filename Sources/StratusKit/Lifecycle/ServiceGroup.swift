public import StratusLog
import StratusNet
import Synchronization

/// Runs services together under structured concurrency and shuts them down
/// in order, shaped like swift-service-lifecycle's `ServiceGroup`.
///
/// - `run()` starts every service in its own child task and returns when
///   all have returned.
/// - A graceful shutdown (SIGTERM or SIGINT when `handlesSignals`, or
///   `triggerGracefulShutdown()`) asks the services to finish in reverse
///   order: the last service first, and each one only after the one after
///   it has returned, so a server stops before the registrar it depends on.
/// - When a service throws or returns before a shutdown was asked, the
///   group cancels the others and `run()` rethrows the first error (a
///   service that returns early counts as `ServiceGroupError`).
public final class ServiceGroup: Sendable {
    private let services: [any Service]
    private let tokens: [GracefulShutdownToken]
    private let handlesSignals: Bool
    private let logger: Logger
    private let shutdownRequested = Atomic<Bool>(false)
    private let finished: Mutex<[Bool]>
    private let finishWaiters = Mutex<[Int: [CheckedContinuation<Void, Never>]]>([:])

    public init(services: [any Service], handlesSignals: Bool = true, logger: Logger = Logger(label: "stratus.lifecycle")) {
        self.services = services
        tokens = services.map { _ in GracefulShutdownToken() }
        self.handlesSignals = handlesSignals
        self.logger = logger
        finished = Mutex(Array(repeating: false, count: services.count))
    }

    /// Asks the services to shut down gracefully, in reverse order.
    public func triggerGracefulShutdown() {
        guard !shutdownRequested.exchange(true, ordering: .relaxed) else { return }
        logger.info("graceful shutdown started", metadata: ["service.count": .stringConvertible(services.count)])
        Task { await shutDownInReverse() }
    }

    public func run() async throws {
        let signals = handlesSignals ? Task { [weak self] in
            let number = await TerminationSignal.wait()
            self?.logger.info("termination signal received", metadata: ["signal": .stringConvertible(number)])
            self?.triggerGracefulShutdown()
        } : nil
        defer { signals?.cancel() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in services.indices {
                group.addTask { [self] in
                    defer { markFinished(index) }
                    try await GracefulShutdownToken.$current.withValue(tokens[index]) {
                        try await services[index].run()
                    }
                    if !shutdownRequested.load(ordering: .relaxed) {
                        throw ServiceGroupError(description: "service \(type(of: services[index])) returned before a shutdown was requested")
                    }
                }
            }
            do {
                // next() rethrows a child's error as soon as it happens;
                // waitForAll() would first wait for every other child.
                while try await group.next() != nil {}
            } catch {
                logger.error("service failed; stopping the others", metadata: ["error": .string("\(error)")])
                group.cancelAll()
                throw error
            }
        }
    }

    private func shutDownInReverse() async {
        for index in services.indices.reversed() {
            tokens[index].trigger()
            await waitUntilFinished(index)
        }
    }

    private func markFinished(_ index: Int) {
        finished.withLock { $0[index] = true }
        let waiters = finishWaiters.withLock { $0.removeValue(forKey: index) ?? [] }
        waiters.forEach { $0.resume() }
    }

    private func waitUntilFinished(_ index: Int) async {
        await withCheckedContinuation { continuation in
            let done = finished.withLock { finished in
                if finished[index] { return true }
                finishWaiters.withLock { $0[index, default: []].append(continuation) }
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// A failure of the group itself, such as a service that ended on its own.
public struct ServiceGroupError: Error, CustomStringConvertible {
    public let description: String
}
