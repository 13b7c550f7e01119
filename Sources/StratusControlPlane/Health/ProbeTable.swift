import StratusDiscovery
import Synchronization

/// The instances that one `HealthChecker.run()` probes, each with its state
/// machine and its probe task.
///
/// An entry's probe task belongs to one generation of the entry. A new
/// endpoint or check restarts the task under a new generation, and a result
/// of an older generation is dropped. A DRAINING instance keeps its entry
/// but has no task, so it is not probed until its status changes.
///
/// Thread safety: the watch task and every probe task call in, so all state
/// is behind one `Mutex`. Tasks are started and cancelled under the lock,
/// which neither blocks nor waits for them.
final class ProbeTable: Sendable {
    /// A registered instance's identity.
    struct Key: Hashable, Sendable, CustomStringConvertible {
        var service: String
        var id: String

        init(service: String, id: String) {
            self.service = service
            self.id = id
        }

        init(_ instance: ServiceInstance) {
            self.init(service: instance.service, id: instance.id)
        }

        var description: String { service + "/" + id }
    }

    /// Probes an instance until its task is cancelled.
    typealias ProbeLoop = @Sendable (ProbeTable, ServiceInstance, HealthCheck, UInt64) async -> Void

    private struct Entry {
        var instance: ServiceInstance
        var health: InstanceHealth
        /// Nil while the instance is DRAINING.
        var task: Task<Void, Never>?
        var generation: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Instances with a check that cannot be probed, warned about once.
        var skipped: Set<Key> = []
        var nextGeneration: UInt64 = 0
        var stopped = false
    }

    private let probeLoop: ProbeLoop
    private let state = Mutex(State())

    init(probeLoop: @escaping ProbeLoop) {
        self.probeLoop = probeLoop
    }

    /// The number of instances tracked, DRAINING ones included.
    var count: Int {
        state.withLock { $0.entries.count }
    }

    /// Starts probing `instance`, or updates its entry. A new endpoint or
    /// check restarts the probing with a fresh count. A new status goes to
    /// the state machine, and DRAINING stops the probe task until the status
    /// changes again. After `stop()` this does nothing.
    func upsert(_ instance: ServiceInstance, check: HealthCheck) {
        let key = Key(instance)
        state.withLock { state in
            guard !state.stopped else { return }
            state.skipped.remove(key)
            if var entry = state.entries[key], Self.probesAlike(entry.instance, instance) {
                entry.instance = instance
                entry.health.observe(instance.status)
                updateTask(of: &entry, check: check, state: &state)
                state.entries[key] = entry
                return
            }
            state.entries[key]?.task?.cancel()
            var entry = Entry(instance: instance, health: InstanceHealth(status: instance.status, check: check), task: nil, generation: 0)
            updateTask(of: &entry, check: check, state: &state)
            state.entries[key] = entry
        }
    }

    /// Stops probing the instance and removes its entry. A probe in flight
    /// is cancelled and its result dropped.
    func remove(_ key: Key) {
        state.withLock { state in
            state.entries.removeValue(forKey: key)?.task?.cancel()
            state.skipped.remove(key)
        }
    }

    /// Removes every instance whose key is not in `keys`, as a full listing
    /// requires.
    func removeAll(except keys: Set<Key>) {
        state.withLock { state in
            for key in state.entries.keys where !keys.contains(key) {
                state.entries.removeValue(forKey: key)?.task?.cancel()
            }
            state.skipped.formIntersection(keys)
        }
    }

    /// Removes the instance because its check cannot be probed. Returns true
    /// the first time, so the caller warns once.
    func skip(_ key: Key) -> Bool {
        state.withLock { state in
            state.entries.removeValue(forKey: key)?.task?.cancel()
            return state.skipped.insert(key).inserted
        }
    }

    /// Counts a probe result of the task of `generation` and returns the
    /// status change it calls for. Returns nil when the entry was removed or
    /// restarted since the probe began.
    func record(_ event: InstanceHealth.Event, for key: Key, generation: UInt64) -> InstanceHealth.Action? {
        state.withLock { state in
            guard state.entries[key]?.generation == generation else { return nil }
            return state.entries[key]!.health.record(event)
        }
    }

    /// Adopts a status that the checker wrote, before the watch reports it.
    func observe(_ status: InstanceStatus, for key: Key, generation: UInt64) {
        state.withLock { state in
            guard state.entries[key]?.generation == generation else { return }
            state.entries[key]!.health.observe(status)
        }
    }

    /// Cancels every probe task and returns them, so the caller can wait
    /// until they end. Later calls start no task.
    func stop() -> [Task<Void, Never>] {
        state.withLock { state in
            state.stopped = true
            let tasks = state.entries.values.compactMap(\.task)
            state.entries = [:]
            for task in tasks {
                task.cancel()
            }
            return tasks
        }
    }

    /// Starts or stops the entry's task to match its status.
    private func updateTask(of entry: inout Entry, check: HealthCheck, state: inout State) {
        if entry.instance.status == .draining {
            entry.task?.cancel()
            entry.task = nil
            return
        }
        guard entry.task == nil else { return }
        state.nextGeneration += 1
        entry.generation = state.nextGeneration
        let (instance, generation, probeLoop) = (entry.instance, entry.generation, probeLoop)
        entry.task = Task { [self] in
            await probeLoop(self, instance, check, generation)
        }
    }

    /// Returns whether two versions of an instance are probed the same way.
    private static func probesAlike(_ old: ServiceInstance, _ new: ServiceInstance) -> Bool {
        old.healthCheck == new.healthCheck && old.address == new.address && old.port == new.port && old.scheme == new.scheme
    }
}
