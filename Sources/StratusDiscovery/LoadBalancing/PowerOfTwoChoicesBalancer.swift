import Synchronization

/// The default balancer: picks two distinct UP instances at random and sends
/// the request to the less loaded one, where load is the moving average of
/// latency × (outstanding requests + 1).
///
/// Picking the better of two random candidates is the "power of two choices"
/// (P2C). Envoy's least-request balancer uses it with outstanding requests
/// alone as the load (Envoy 1.35, least_request_lb.h). Tower's PeakEwma,
/// which derives from Finagle, weights the outstanding count by a
/// peak-sensitive latency average. This balancer uses a plain time-decayed
/// average instead.
///
/// It needs outcome reports. A pick counts as outstanding until its
/// `report(_:for:)`, and each success or failure adds a latency sample (see
/// `PowerOfTwoChoicesConfiguration` for the decay and the failure penalty).
/// An instance without a sample gets one request at a time until its first
/// report. An idle instance's estimate decays toward zero, so an instance
/// skipped for being slow is tried again after a few time constants.
/// Weights and hash keys are ignored, because measured load decides. With
/// one UP instance every pick returns it.
///
/// On a snapshot change the statistics of instances that stay (by id) carry
/// over, and those of instances that left are dropped. A report for an
/// instance that is no longer a candidate is ignored.
///
/// Thread safety: the generator and all statistics are behind one `Mutex`,
/// held for O(1) work per pick and per report, plus O(n) to rebuild after a
/// snapshot change.
public final class PowerOfTwoChoicesBalancer<Generator: RandomNumberGenerator & Sendable>: LoadBalancer {
    private struct State {
        var generator: Generator
        /// The snapshot version that `loads` and `slotsByID` belong to.
        var version: UInt64?
        /// The statistics of the snapshot's UP instances, in order.
        var loads: [InstanceLoad] = []
        /// The position in `loads` of each instance id.
        var slotsByID: [String: Int] = [:]
    }

    public let configuration: PowerOfTwoChoicesConfiguration
    // Picks and reports from every thread read and write the statistics, so
    // they and the generator are one Mutex.
    private let state: Mutex<State>
    /// Seconds since the balancer's clock origin; calls the injected clock.
    private let secondsSinceOrigin: @Sendable () -> Double
    private let decayTime: Double

    /// Creates a balancer.
    ///
    /// - Parameters:
    ///   - generator: the source of the random choices; pass a seeded one to
    ///     make the picks reproducible.
    ///   - clock: the clock that times latency samples and idle decay. Tests
    ///     inject a manual one.
    public init<C: Clock>(
        configuration: PowerOfTwoChoicesConfiguration = PowerOfTwoChoicesConfiguration(),
        generator: Generator,
        clock: C
    ) where C.Duration == Duration {
        let origin = clock.now
        self.configuration = configuration
        self.state = Mutex(State(generator: generator))
        self.secondsSinceOrigin = { origin.duration(to: clock.now).inSeconds }
        self.decayTime = configuration.decayTime.inSeconds
    }

    public func pick(from snapshot: InstanceSnapshot, hashKey: String?) -> LoadBalancerPick? {
        let candidates = snapshot.upInstances
        guard !candidates.isEmpty else { return nil }

        let now = secondsSinceOrigin()
        let slot = state.withLock { state in
            if state.version != snapshot.version {
                Self.rebuild(&state, for: snapshot)
            }
            let chosen = choose(in: &state, at: now)
            state.loads[chosen].outstanding += 1
            return chosen
        }
        return LoadBalancerPick(instance: candidates[slot], snapshotVersion: snapshot.version, slot: slot)
    }

    public func report(_ outcome: PickOutcome, for pick: LoadBalancerPick) {
        let now = secondsSinceOrigin()
        let sample = latencySample(for: outcome)
        state.withLock { state in
            guard let slot = Self.slot(of: pick, in: state) else { return }
            state.loads[slot].outstanding = max(state.loads[slot].outstanding - 1, 0)
            if let sample {
                state.loads[slot].record(latency: sample, at: now, decayTime: decayTime)
            }
        }
    }

    /// Returns the statistics of the instance with `instanceID`, or nil when
    /// it is not an UP instance of the last snapshot picked from.
    public func loadEstimate(for instanceID: String) -> InstanceLoadEstimate? {
        let now = secondsSinceOrigin()
        return state.withLock { state in
            guard let slot = state.slotsByID[instanceID] else { return nil }
            return state.loads[slot].estimate(at: now, decayTime: decayTime)
        }
    }

    /// Draws two distinct slots and returns the one with the lower score,
    /// the first drawn on a tie.
    private func choose(in state: inout State, at now: Double) -> Int {
        let count = state.loads.count
        guard count > 1 else { return 0 }

        let first = Int.random(in: 0..<count, using: &state.generator)
        var second = Int.random(in: 0..<(count - 1), using: &state.generator)
        if second >= first {
            second += 1
        }
        let firstScore = state.loads[first].score(at: now, decayTime: decayTime)
        let secondScore = state.loads[second].score(at: now, decayTime: decayTime)
        return secondScore < firstScore ? second : first
    }

    private func latencySample(for outcome: PickOutcome) -> Double? {
        switch outcome {
        case .success(let latency): latency.inSeconds
        case .failure(let latency): max(latency, configuration.failurePenalty).inSeconds
        case .cancelled: nil
        }
    }

    /// Replaces the statistics with one entry per UP instance of `snapshot`,
    /// keeping the entries of instances that were there before.
    private static func rebuild(_ state: inout State, for snapshot: InstanceSnapshot) {
        var loads: [InstanceLoad] = []
        var slotsByID: [String: Int] = [:]
        loads.reserveCapacity(snapshot.upInstances.count)
        for (slot, instance) in snapshot.upInstances.enumerated() {
            let previous = state.slotsByID[instance.id].map { state.loads[$0] }
            loads.append(previous ?? InstanceLoad())
            slotsByID[instance.id] = slot
        }
        state.version = snapshot.version
        state.loads = loads
        state.slotsByID = slotsByID
    }

    /// Returns the position of the picked instance in the current
    /// statistics: the pick's own slot when it came from the current
    /// snapshot, else a lookup by id.
    private static func slot(of pick: LoadBalancerPick, in state: State) -> Int? {
        if pick.snapshotVersion == state.version {
            return pick.slot
        }
        return state.slotsByID[pick.instance.id]
    }
}

extension PowerOfTwoChoicesBalancer where Generator == SystemRandomNumberGenerator {
    /// Creates a balancer that uses the system's random number generator and
    /// the continuous clock.
    public convenience init(configuration: PowerOfTwoChoicesConfiguration = PowerOfTwoChoicesConfiguration()) {
        self.init(configuration: configuration, generator: SystemRandomNumberGenerator(), clock: ContinuousClock())
    }
}
