import StratusNet

extension EmbeddedStore {
    /// Settings of an embedded store.
    public struct Configuration: Sendable {
        /// The SQLite file for keys without a lease. Nil keeps everything in
        /// memory, and nothing survives the process.
        public var path: String?
        /// How many revisions of history to keep for reads at a past
        /// revision and for watches that resume. Older history is compacted
        /// automatically once it exceeds this by a tenth. 0 turns automatic
        /// compaction off. Default 10,000.
        public var historyRetention: Int64 = 10_000
        /// The most events a watch may have waiting for its consumer before
        /// the store ends it with `compacted`. Default 10,000.
        public var watchBufferLimit = 10_000
        /// How often expired leases are looked for. A lease ends at most
        /// this long after its deadline. Default 100 ms.
        public var leaseCheckInterval: Duration = .milliseconds(100)
        /// Nanoseconds on a monotonic clock; lease deadlines use it. Tests
        /// inject a manual clock.
        public var clock: @Sendable () -> UInt64 = { MonotonicClock.now() }

        public init(path: String? = nil) {
            self.path = path
        }
    }
}
