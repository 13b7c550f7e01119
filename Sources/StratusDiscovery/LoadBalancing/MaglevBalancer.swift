import Synchronization

/// Consistent hashing with a Maglev lookup table: equal hash keys go to the
/// same instance while the UP instances stay the same, and when one of N
/// instances leaves or joins, about 1/N of the keys move.
///
/// The table (see `MaglevTable`) is built once per snapshot version, from
/// the UP instances' ids and weights. A keyed pick hashes the key's UTF-8
/// bytes with a hash that is the same in every process, so all clients send
/// a key to the same instance. A pick costs O(key length).
///
/// Disruption: an instance's departure moves its own keys. Maglev also
/// moves a small share of the other keys, the price of even table shares:
/// 0.1% to 0.3% of them in this module's tests with 5 and 10 instances.
/// Weights set each instance's share of the table.
///
/// A pick without a hash key walks the table in order, which spreads the
/// picks in proportion to the table shares. Outcome reports are ignored.
///
/// Thread safety: the current table is behind a `Mutex`, held only to read
/// or replace it. After a snapshot change, concurrent pickers may each build
/// the table once before one of them installs it.
public final class MaglevBalancer: LoadBalancer {
    /// 65,537, a prime. The Maglev paper sizes the table above 100 × the
    /// number of backends to keep each one's share within about 1% of even,
    /// so this default suits up to about 650 UP instances.
    public static let defaultTableSize = 65_537

    public let tableSize: Int

    private struct State {
        /// The snapshot version that `table` belongs to.
        var version: UInt64?
        var table: MaglevTable?
    }

    // Read by every pick and replaced after a snapshot change, so it is a Mutex.
    private let state = Mutex(State())
    // Advanced by every pick without a key, on any thread, so it is an atomic.
    private let position = Atomic<UInt64>(0)

    /// Creates a balancer.
    ///
    /// - Precondition: `tableSize` is a prime, which makes every instance's
    ///   preference list visit every entry.
    public init(tableSize: Int = MaglevBalancer.defaultTableSize) {
        precondition(Self.isPrime(tableSize), "invalid tableSize \(tableSize): expected a prime such as 65537")
        self.tableSize = tableSize
    }

    public func pick(from snapshot: InstanceSnapshot, hashKey: String?) -> LoadBalancerPick? {
        let candidates = snapshot.upInstances
        guard !candidates.isEmpty else { return nil }

        let table = table(for: snapshot)
        let slot: Int
        if let hashKey {
            slot = table.candidate(forHash: StableHash.hash(hashKey, seed: MaglevTable.keySeed))
        } else {
            let entry = position.wrappingAdd(1, ordering: .relaxed).oldValue % UInt64(tableSize)
            slot = table.candidate(atEntry: Int(entry))
        }
        return LoadBalancerPick(instance: candidates[slot], snapshotVersion: snapshot.version, slot: slot)
    }

    /// Returns the table for the snapshot's UP instances, building it
    /// outside the lock when the version changed.
    private func table(for snapshot: InstanceSnapshot) -> MaglevTable {
        let cached = state.withLock { state in
            state.version == snapshot.version ? state.table : nil
        }
        if let cached {
            return cached
        }
        let table = MaglevTable(candidates: snapshot.upInstances, size: tableSize)
        state.withLock { state in
            state = State(version: snapshot.version, table: table)
        }
        return table
    }

    private static func isPrime(_ number: Int) -> Bool {
        guard number >= 2 else { return false }
        var divisor = 2
        while divisor * divisor <= number {
            if number % divisor == 0 {
                return false
            }
            divisor += 1
        }
        return true
    }
}
