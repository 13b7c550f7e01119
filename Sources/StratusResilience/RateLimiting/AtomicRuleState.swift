import Synchronization

/// A rule state that fits in one double-word atomic.
protocol WordPairRepresentable {
    init(_ pair: WordPair)
    var wordPair: WordPair { get }
}

extension RateLimitRule where State: WordPairRepresentable {
    /// Decides about one request on the state stored in `atomic`. An
    /// admission replaces the state with a compare-and-exchange, retried
    /// when another thread changed it first. A rejection leaves it as it
    /// is, because what the rule computed on the way (a refill, windows
    /// moved forward) follows from the stored state and the time alone.
    @inline(__always)
    func acquire(_ atomic: borrowing Atomic<WordPair>, at now: UInt64) -> PolicyDecision {
        var stored = atomic.load(ordering: .relaxed)
        while true {
            var state = State(stored)
            let decision = acquire(&state, at: now).decision
            guard decision.isAdmitted else { return decision }
            let (exchanged, current) = atomic.compareExchange(expected: stored, desired: state.wordPair, ordering: .relaxed)
            if exchanged {
                return decision
            }
            stored = current
        }
    }
}

extension TokenBucketRule.State: WordPairRepresentable {
    init(_ pair: WordPair) {
        self.init(nanoTokens: Int64(Int(bitPattern: pair.first)), updated: UInt64(pair.second))
    }

    var wordPair: WordPair {
        WordPair(first: UInt(bitPattern: Int(nanoTokens)), second: UInt(updated))
    }
}

extension SlidingWindowRule.State: WordPairRepresentable {
    /// Unpacks the counts: the start, then the current count in the low and
    /// the earlier count in the high 32 bits.
    init(_ pair: WordPair) {
        self.init(start: UInt64(pair.first), current: Int(pair.second & 0xFFFF_FFFF), previous: Int(pair.second >> 32))
    }

    var wordPair: WordPair {
        WordPair(first: UInt(start), second: UInt(current) | UInt(previous) << 32)
    }
}
