import Synchronization

/// Weighted round robin that interleaves the instances instead of sending
/// runs of requests to the heaviest one: nginx's smooth weighted round robin.
///
/// Each pick adds every candidate's weight to its current value, picks the
/// candidate with the largest current value (the first one on a tie) and
/// subtracts the total weight from it. Over every cycle of `W` consecutive
/// picks, where `W` is the sum of the UP instances' weights, each instance is
/// picked exactly `weight` times. Weights 5, 1, 1 give a, a, b, a, c, a, a.
/// Source: the smooth weighted round robin of nginx's upstream module
/// (src/http/ngx_http_upstream_round_robin.c).
///
/// A snapshot change restarts the schedule from zero. A pick costs O(n) for
/// n UP instances, under a lock.
///
/// Thread safety: the schedule is behind a `Mutex`, so concurrent picks are
/// serialized and the per-cycle counts stay exact.
public final class SmoothWeightedRoundRobinBalancer: LoadBalancer {
    private struct Schedule {
        /// The snapshot version that `weights` and `current` belong to.
        var version: UInt64?
        /// The weights of the snapshot's UP instances, in order.
        var weights: [Int] = []
        /// The current value of each instance, as in nginx's `current_weight`.
        var current: [Int] = []
        /// The sum of `weights`.
        var totalWeight = 0
    }

    // Read and written by every pick, so the whole schedule is one Mutex.
    private let schedule = Mutex(Schedule())

    public init() {}

    public func pick(from snapshot: InstanceSnapshot, hashKey: String?) -> LoadBalancerPick? {
        let candidates = snapshot.upInstances
        guard !candidates.isEmpty else { return nil }

        let slot = schedule.withLock { schedule in
            if schedule.version != snapshot.version {
                schedule = Self.makeSchedule(for: snapshot)
            }
            return Self.advance(&schedule)
        }
        return LoadBalancerPick(instance: candidates[slot], snapshotVersion: snapshot.version, slot: slot)
    }

    private static func makeSchedule(for snapshot: InstanceSnapshot) -> Schedule {
        let weights = snapshot.upInstances.map(\.balancingWeight)
        return Schedule(
            version: snapshot.version,
            weights: weights,
            current: Array(repeating: 0, count: weights.count),
            totalWeight: weights.reduce(0, +)
        )
    }

    /// Runs one step of the algorithm and returns the picked slot.
    private static func advance(_ schedule: inout Schedule) -> Int {
        var best = 0
        for index in schedule.weights.indices {
            schedule.current[index] += schedule.weights[index]
            if schedule.current[index] > schedule.current[best] {
                best = index
            }
        }
        schedule.current[best] -= schedule.totalWeight
        return best
    }
}
