import StratusDiscovery
import Synchronization

/// The source of a `ServiceClient`'s instances: a discovery watch started
/// on the first call, or a fixed list.
///
/// Thread safety: all methods may be called from any task.
final class InstanceSource: Sendable {
    private enum Kind {
        case fixed(InstanceSnapshot)
        case discovery(ServiceDiscovery)
    }

    private struct StartState {
        var task: Task<Void, Never>?
        var stopped = false
    }

    private let kind: Kind
    /// A fast path past the start once the first list arrived.
    private let started = Atomic<Bool>(false)
    private let startState = Mutex(StartState())

    init(fixed snapshot: InstanceSnapshot) {
        kind = .fixed(snapshot)
        started.store(true, ordering: .relaxed)
    }

    init(discovery: ServiceDiscovery) {
        kind = .discovery(discovery)
    }

    /// Whether the instances come from discovery, for error messages.
    var isDiscovery: Bool {
        if case .discovery = kind { return true }
        return false
    }

    /// Returns the current instances. The first call starts discovery and
    /// waits for its first list, or for its first attempt to fail.
    func snapshot() async -> InstanceSnapshot {
        switch kind {
        case .fixed(let snapshot):
            return snapshot
        case .discovery(let discovery):
            if !started.load(ordering: .acquiring) {
                await start(discovery)
            }
            return discovery.snapshot
        }
    }

    private func start(_ discovery: ServiceDiscovery) async {
        let task = startState.withLock { state -> Task<Void, Never>? in
            guard !state.stopped else { return nil }
            if let task = state.task { return task }
            let task = Task { await discovery.start() }
            state.task = task
            return task
        }
        await task?.value
        let stoppedMeanwhile = startState.withLock { $0.stopped }
        if stoppedMeanwhile {
            // `stop` ran while discovery was starting: stop the watch it began.
            discovery.stop()
        }
        started.store(true, ordering: .releasing)
    }

    /// Stops the discovery watch. Later snapshots keep the last list.
    func stop() {
        guard case .discovery(let discovery) = kind else { return }
        startState.withLock { $0.stopped = true }
        discovery.stop()
    }
}
