import Synchronization

/// The value of one counter series. Handles share it, so every `Counter`
/// made for the same name and labels updates the same value.
final class CounterStorage: Sendable {
    let value = Atomic<Int64>(0)

    @inline(__always)
    func increment(by amount: Int64) {
        value.wrappingAdd(amount, ordering: .relaxed)
    }
}

/// The value of one gauge series, a `Double` kept as its bit pattern.
final class GaugeStorage: Sendable {
    let bits = Atomic<UInt64>(0.0.bitPattern)
}

/// The buckets, count and sum of one histogram series.
///
/// Each bucket slot counts the observations that fell into it alone; the
/// exposition adds them up into Prometheus's cumulative buckets. The last slot
/// is the `+Inf` bucket. The total count is the sum of all slots, so in every
/// scrape `_count` equals the `+Inf` bucket, even while observations arrive.
/// `_sum` is read separately and may lag by the observations in flight.
///
/// Thread safety: `slots` is allocated once in `init` and freed in `deinit`;
/// in between, every access goes through the atomics it points to.
final class HistogramStorage: @unchecked Sendable {
    let upperBounds: [Double]
    private let slots: UnsafeMutablePointer<Atomic<UInt64>>
    private let sumBits = Atomic<UInt64>(0.0.bitPattern)

    /// - Parameter upperBounds: sorted, finite and distinct, as `HistogramBuckets`
    ///   checks them.
    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        slots = .allocate(capacity: upperBounds.count + 1)
        for index in 0...upperBounds.count {
            (slots + index).initialize(to: Atomic<UInt64>(0))
        }
    }

    deinit {
        slots.deinitialize(count: upperBounds.count + 1)
        slots.deallocate()
    }

    /// Records `value` in the first bucket whose upper bound is at least
    /// `value`. NaN and values above the last bound go to the `+Inf` bucket.
    @inline(__always)
    func observe(_ value: Double) {
        slots[slotIndex(for: value)].wrappingAdd(1, ordering: .relaxed)
        sumBits.addDouble(value)
    }

    /// Finds the first bound that is not below `value` by binary search.
    @inline(__always)
    private func slotIndex(for value: Double) -> Int {
        var low = 0
        var high = upperBounds.count
        while low < high {
            let middle = (low + high) / 2
            if upperBounds[middle] >= value {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }

    /// The cumulative count of each bucket, the `+Inf` bucket last.
    func cumulativeCounts() -> [UInt64] {
        var counts: [UInt64] = []
        counts.reserveCapacity(upperBounds.count + 1)
        var total: UInt64 = 0
        for index in 0...upperBounds.count {
            total &+= slots[index].load(ordering: .relaxed)
            counts.append(total)
        }
        return counts
    }

    var sum: Double {
        sumBits.loadDouble()
    }
}
