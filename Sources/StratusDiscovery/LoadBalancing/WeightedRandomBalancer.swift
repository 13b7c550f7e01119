import Synchronization

/// Picks an UP instance at random with probability proportional to its
/// weight, ignoring hash keys and outcomes.
///
/// The cumulative weights are computed once per snapshot version. A pick
/// draws one uniform number below the total weight (without modulo bias)
/// and finds its instance by binary search: O(log n).
///
/// Thread safety: the generator and the cumulative weights are behind one
/// `Mutex`. Pass a seeded generator to make the picks reproducible.
public final class WeightedRandomBalancer<Generator: RandomNumberGenerator & Sendable>: LoadBalancer {
    private struct State {
        var generator: Generator
        /// The snapshot version that `cumulativeWeights` belongs to.
        var version: UInt64?
        /// Entry i is the sum of the weights of UP instances 0 through i.
        var cumulativeWeights: [Int] = []
    }

    // Every pick advances the generator, so generator and table share one Mutex.
    private let state: Mutex<State>

    /// Creates a balancer that draws its random numbers from `generator`.
    public init(generator: Generator) {
        state = Mutex(State(generator: generator))
    }

    public func pick(from snapshot: InstanceSnapshot, hashKey: String?) -> LoadBalancerPick? {
        let candidates = snapshot.upInstances
        guard !candidates.isEmpty else { return nil }

        let slot = state.withLock { state in
            if state.version != snapshot.version {
                state.version = snapshot.version
                state.cumulativeWeights = Self.cumulativeWeights(of: candidates)
            }
            let total = state.cumulativeWeights[state.cumulativeWeights.count - 1]
            let target = Int.random(in: 0..<total, using: &state.generator)
            return Self.firstIndex(above: target, in: state.cumulativeWeights)
        }
        return LoadBalancerPick(instance: candidates[slot], snapshotVersion: snapshot.version, slot: slot)
    }

    private static func cumulativeWeights(of candidates: [ServiceInstance]) -> [Int] {
        var sum = 0
        return candidates.map { instance in
            sum += instance.balancingWeight
            return sum
        }
    }

    /// Returns the first index whose cumulative weight is greater than
    /// `target`, which exists because `target` is below the last entry.
    private static func firstIndex(above target: Int, in cumulativeWeights: [Int]) -> Int {
        var low = 0
        var high = cumulativeWeights.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > target {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}

extension WeightedRandomBalancer where Generator == SystemRandomNumberGenerator {
    /// Creates a balancer that uses the system's random number generator.
    public convenience init() {
        self.init(generator: SystemRandomNumberGenerator())
    }
}
