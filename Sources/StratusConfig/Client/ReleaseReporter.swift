import StratusLog
import Synchronization

/// Sends an instance's reports about releases to the control plane in the
/// background, each after a random delay of up to `maximumDelay`.
///
/// When many instances apply one release at once, their reports would
/// reach the control plane together and compete with the delivery of the
/// release to the instances that have not applied it yet, so each waits a
/// random part of `maximumDelay`. A report still waiting is replaced by a
/// newer one: only the latest release an instance applied or refused
/// matters to history. A failed report is logged and not sent again.
final class ReleaseReporter: Sendable {
    private struct State {
        var pending: InstanceReport?
        var sending = false
    }

    private let client: ConfigCenterClient
    private let namespace: NamespaceCoordinates
    private let maximumDelay: Duration
    private let logger: Logger
    private let state = Mutex(State())

    init(client: ConfigCenterClient, namespace: NamespaceCoordinates, maximumDelay: Duration, logger: Logger) {
        self.client = client
        self.namespace = namespace
        self.maximumDelay = maximumDelay
        self.logger = logger
    }

    func send(_ report: InstanceReport) {
        let start = state.withLock { state in
            state.pending = report
            defer { state.sending = true }
            return !state.sending
        }
        guard start else { return }
        Task { await drain() }
    }

    /// Waits, then sends the pending report, until none is left.
    private func drain() async {
        while true {
            let nanoseconds = maximumDelay.components.seconds * 1_000_000_000 + maximumDelay.components.attoseconds / 1_000_000_000
            if nanoseconds > 0 {
                try? await Task.sleep(for: .nanoseconds(Int64.random(in: 0...nanoseconds)))
            }
            let report = state.withLock { state in
                defer { state.pending = nil }
                if state.pending == nil { state.sending = false }
                return state.pending
            }
            guard let report else { return }
            do {
                try await client.report(namespace, report)
            } catch {
                logger.warning("reporting a config release to the control plane failed", metadata: [
                    "config.namespace": .string("\(namespace)"),
                    "config.release": .stringConvertible(report.release),
                    "error": .string("\(error)"),
                ])
            }
        }
    }
}
