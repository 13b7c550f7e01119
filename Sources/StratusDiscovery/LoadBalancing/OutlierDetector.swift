import Synchronization

/// Ejects instances that fail several requests in a row, for a time that
/// grows with repeated ejections, so that callers stop picking them before
/// health checks mark them DOWN.
///
/// Callers feed it the same outcomes they report to the balancer, and pass
/// each discovery snapshot through `filter(_:)` before picking:
///
///     let snapshot = detector.filter(discoverySnapshot)
///     guard let pick = balancer.pick(from: snapshot) else { ... }
///     // send the request, then:
///     balancer.report(outcome, for: pick)
///     detector.record(outcome, for: pick.instance.id)
///
/// A success resets an instance's failure count, and `cancelled` is
/// ignored. No more than `maxEjectedFraction` of the UP instances of the
/// last filtered snapshot are ejected at once, so nothing is ejected before
/// the first `filter` call. An ejected instance returns when its ejection
/// time has passed, checked on each `filter` call. The failure counts of
/// instances that leave the snapshot are dropped.
///
/// Thread safety: all state is behind one `Mutex`, held for O(1) work per
/// `record` and, on a change, O(n) per `filter`.
public final class OutlierDetector: Sendable {
    private struct Health {
        var consecutiveFailures = 0
        /// Ejections in a row, which multiply the ejection time.
        var ejections = 0
        /// When the current or last ejection ends, in seconds since the clock origin.
        var ejectedUntil: Double?
    }

    private struct State {
        var health: [String: Health] = [:]
        /// The ids ejected now.
        var ejected: Set<String> = []
        /// Raised whenever `ejected` changes.
        var generation: UInt64 = 0
        /// The earliest `ejectedUntil` among the ejected ids.
        var nextRelease = Double.infinity
        /// The UP instances of the last filtered snapshot, for the ejection cap.
        var upCount = 0
        /// The last filtered snapshot and what it was derived from.
        var cache: (sourceVersion: UInt64, generation: UInt64, snapshot: InstanceSnapshot)?
    }

    public let configuration: OutlierDetectorConfiguration
    // Written by every record and read by every filter, from any thread, so it is a Mutex.
    private let state = Mutex(State())
    private let secondsSinceOrigin: @Sendable () -> Double

    /// Creates a detector that times ejections with `clock`.
    public init<C: Clock>(configuration: OutlierDetectorConfiguration = OutlierDetectorConfiguration(), clock: C) where C.Duration == Duration {
        let origin = clock.now
        self.configuration = configuration
        self.secondsSinceOrigin = { origin.duration(to: clock.now).inSeconds }
    }

    /// Creates a detector that times ejections with the continuous clock.
    public convenience init(configuration: OutlierDetectorConfiguration = OutlierDetectorConfiguration()) {
        self.init(configuration: configuration, clock: ContinuousClock())
    }

    /// Records the outcome of a request to the instance with `instanceID`,
    /// and ejects the instance when it reaches the failure threshold.
    /// Outcomes for an instance that is ejected now are ignored: they belong
    /// to requests sent before the ejection.
    public func record(_ outcome: PickOutcome, for instanceID: String) {
        let now = secondsSinceOrigin()
        state.withLock { state in
            releaseExpired(in: &state, at: now)
            guard !state.ejected.contains(instanceID) else { return }
            switch outcome {
            case .success:
                state.health[instanceID, default: Health()].consecutiveFailures = 0
            case .failure:
                state.health[instanceID, default: Health()].consecutiveFailures += 1
                ejectIfDue(instanceID, in: &state, at: now)
            case .cancelled:
                break
            }
        }
    }

    /// Returns `snapshot` without the instances ejected now: the same
    /// snapshot when none of them is ejected, else a derived snapshot with
    /// the same revision. Repeated calls return the same derived snapshot,
    /// with the same version, until the snapshot or the ejections change.
    public func filter(_ snapshot: InstanceSnapshot) -> InstanceSnapshot {
        let now = secondsSinceOrigin()
        return state.withLock { state in
            state.upCount = snapshot.upInstances.count
            releaseExpired(in: &state, at: now)
            if let cache = state.cache, cache.sourceVersion == snapshot.version, cache.generation == state.generation {
                return cache.snapshot
            }
            if state.cache?.sourceVersion != snapshot.version {
                forgetDeparted(in: &state, keeping: snapshot)
            }
            let ejectedHere = snapshot.instances.contains { state.ejected.contains($0.id) }
            let filtered = ejectedHere ? snapshot.excluding(ids: state.ejected) : snapshot
            state.cache = (snapshot.version, state.generation, filtered)
            return filtered
        }
    }

    /// Returns the ids ejected now.
    public func ejectedIDs() -> Set<String> {
        let now = secondsSinceOrigin()
        return state.withLock { state in
            releaseExpired(in: &state, at: now)
            return state.ejected
        }
    }

    private func ejectIfDue(_ instanceID: String, in state: inout State, at now: Double) {
        guard var health = state.health[instanceID],
              health.consecutiveFailures >= configuration.consecutiveFailures
        else { return }
        let allowed = Int((configuration.maxEjectedFraction * Double(state.upCount)).rounded(.down))
        guard state.ejected.count < allowed else { return }

        // A long quiet period since the last ejection forgives the earlier ones.
        if let lastEnd = health.ejectedUntil, now - lastEnd > configuration.maxEjectionTime.inSeconds {
            health.ejections = 0
        }
        health.ejections += 1
        let duration = min(configuration.baseEjectionTime.inSeconds * Double(health.ejections), configuration.maxEjectionTime.inSeconds)
        health.ejectedUntil = now + duration
        health.consecutiveFailures = 0
        state.health[instanceID] = health
        state.ejected.insert(instanceID)
        state.generation += 1
        state.nextRelease = min(state.nextRelease, now + duration)
    }

    private func releaseExpired(in state: inout State, at now: Double) {
        guard now >= state.nextRelease else { return }

        let expired = state.ejected.filter { id in
            (state.health[id]?.ejectedUntil ?? 0) <= now
        }
        state.ejected.subtract(expired)
        state.generation += 1
        state.nextRelease = state.ejected.compactMap { state.health[$0]?.ejectedUntil }.min() ?? .infinity
    }

    /// Drops the records of instances that are neither in `snapshot` nor
    /// ejected, so that the records do not grow with every instance ever seen.
    private func forgetDeparted(in state: inout State, keeping snapshot: InstanceSnapshot) {
        let present = Set(snapshot.instances.map(\.id))
        let ejected = state.ejected
        state.health = state.health.filter { present.contains($0.key) || ejected.contains($0.key) }
    }
}
