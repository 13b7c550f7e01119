/// A Maglev lookup table: `size` entries, each naming one candidate, filled
/// so that every candidate owns a share of the entries proportional to its
/// weight and a change of candidates moves few entries.
///
/// Source: Eisenbud et al., "Maglev: A Fast and Reliable Software Network
/// Load Balancer", NSDI 2016, section 3.4 (consistent hashing). Each
/// candidate has a preference list, a permutation of the entries given by
/// offset + j × skip (mod size), with offset and skip taken from hashes of
/// its id. The candidates take turns claiming their next preferred free
/// entry until the table is full. The paper gives every candidate one turn
/// per round. Here a candidate with weight w gets w / maxWeight turns per
/// round (rounded down, cumulative), which is the paper's rule when all
/// weights are equal.
struct MaglevTable {
    /// Seeds that make the offset, skip and key hashes independent.
    static let offsetSeed: UInt64 = 1
    static let skipSeed: UInt64 = 2
    static let keySeed: UInt64 = 3

    /// Entry e contains the position in the candidate list of its owner.
    let entries: [UInt32]

    /// Builds the table for `candidates`, which must not be empty.
    ///
    /// The turns go in the order of the candidates' ids, not their order in
    /// the list, so that clients that list the same instances in different
    /// orders build the same table. Cost: O(size × log size) expected with
    /// equal weights. With unequal weights each round visits every
    /// candidate, so the cost grows to O(size × n) for n candidates.
    init(candidates: [ServiceInstance], size: Int) {
        precondition(!candidates.isEmpty, "a Maglev table needs at least one candidate")
        var preferences = Self.preferences(of: candidates, size: size)
        var entries = [UInt32](repeating: .max, count: size)
        var filled = 0
        let maxWeight = preferences.map(\.weight).max()!
        var round = 0

        while filled < size {
            round += 1
            for index in preferences.indices where filled < size {
                // Cumulative turns by the end of this round: round × weight / maxWeight.
                let due = round * preferences[index].weight / maxWeight
                while preferences[index].turnsTaken < due && filled < size {
                    let entry = preferences[index].claimNextFree(in: entries, size: size)
                    entries[entry] = UInt32(preferences[index].candidate)
                    preferences[index].turnsTaken += 1
                    filled += 1
                }
            }
        }
        self.entries = entries
    }

    /// Returns the position in the candidate list that owns the entry for `hash`.
    func candidate(forHash hash: UInt64) -> Int {
        Int(entries[Int(hash % UInt64(entries.count))])
    }

    /// Returns the position in the candidate list that owns `entry`, for
    /// walking the table without a key.
    func candidate(atEntry entry: Int) -> Int {
        Int(entries[entry % entries.count])
    }

    /// One candidate's place in its preference list, in the order of ids.
    private struct Preference {
        let candidate: Int
        let weight: Int
        let skip: Int
        /// The next entry of the preference list to try.
        var position: Int
        var turnsTaken = 0

        /// Advances along the preference list to the first free entry and
        /// returns it. One exists because the caller stops when the table is
        /// full, and the list visits every entry because `size` is prime.
        mutating func claimNextFree(in entries: [UInt32], size: Int) -> Int {
            while entries[position] != .max {
                position = (position + skip) % size
            }
            let entry = position
            position = (position + skip) % size
            return entry
        }
    }

    private static func preferences(of candidates: [ServiceInstance], size: Int) -> [Preference] {
        let order = candidates.indices.sorted { (candidates[$0].id, $0) < (candidates[$1].id, $1) }
        return order.map { index in
            let id = candidates[index].id
            let offset = Int(StableHash.hash(id, seed: offsetSeed) % UInt64(size))
            let skip = Int(StableHash.hash(id, seed: skipSeed) % UInt64(size - 1)) + 1
            return Preference(candidate: index, weight: candidates[index].balancingWeight, skip: skip, position: offset)
        }
    }
}
