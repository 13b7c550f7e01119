import StratusNet

/// A rolling window of equal time buckets, the newest one current. Moving
/// forward empties the buckets that fell out of the window.
struct RollingBuckets<Bucket> {
    private(set) var buckets: [Bucket]
    private(set) var current = 0
    private var bucketStart: UInt64
    private let bucketNanoseconds: UInt64
    private let empty: Bucket

    init(count: Int, window: Duration, empty: Bucket, now: UInt64) {
        buckets = Array(repeating: empty, count: count)
        bucketNanoseconds = max(1, window.nanoseconds / UInt64(count))
        bucketStart = now
        self.empty = empty
    }

    var bucketDuration: UInt64 { bucketNanoseconds }

    /// The bucket that `now` falls in, after `advance(to:)`.
    var newest: Bucket {
        get { buckets[current] }
        set { buckets[current] = newValue }
    }

    /// Moves the window so that `now` falls in the current bucket. Returns
    /// true when the current bucket changed. A `now` before the current
    /// bucket changes nothing.
    @discardableResult
    mutating func advance(to now: UInt64) -> Bool {
        guard now >= bucketStart + bucketNanoseconds else { return false }
        let passed = min(Int((now - bucketStart) / bucketNanoseconds), buckets.count)
        for _ in 0..<passed {
            current = (current + 1) % buckets.count
            buckets[current] = empty
        }
        bucketStart += UInt64(passed) * bucketNanoseconds
        if now >= bucketStart + bucketNanoseconds {
            bucketStart = now
        }
        return true
    }

    /// Empties every bucket in place, without allocating, and starts the
    /// current one at `now`.
    mutating func reset(to now: UInt64) {
        for index in buckets.indices {
            buckets[index] = empty
        }
        bucketStart = now
    }
}

extension RollingBuckets: Sendable where Bucket: Sendable {}
extension RollingBuckets: Equatable where Bucket: Equatable {}
extension RollingBuckets: Hashable where Bucket: Hashable {}
