import Synchronization

/// Counts per time bucket that threads add to without a lock: the atomic
/// counterpart of `RollingBuckets` for the paths that run on every request.
///
/// Time is cut into epochs of `bucketNanoseconds` (now / bucketNanoseconds),
/// and epoch e is counted in slot e mod `count`. A slot is one 64-bit
/// atomic with the low 32 bits of its epoch in the high half and its value
/// in the low half. Moving a slot to a new epoch and adding to it is then
/// one compare-and-exchange, and reading it is a plain load. (A double-word
/// atomic would hold a whole epoch, but on x86-64 even its load is a locked
/// cmpxchg16b, and with it a decision of AdaptiveThrottle took about twice
/// as long.) A value saturates at 2³² − 1. A slot whose epoch has left the
/// window reads as empty. An add stamped with an epoch a few turns older
/// than its slot's, from a thread that read the clock just before another
/// moved the slot on, is dropped, because its bucket has left the window.
///
/// Striped buckets keep a set of slots per CPU stripe (see
/// `StripedCounters`), each on its own 128-byte blocks: an add goes to the
/// calling CPU's set, and a read sums the sets. Threads on two CPUs then
/// add without moving one cache line between them, at the price of
/// reading every set.
final class AtomicBuckets: @unchecked Sendable {
    // @unchecked: `slots` is allocated once and only reached through atomics.

    let count: Int
    let bucketNanoseconds: UInt64
    /// 1, or `StripedCounters.stripes` for striped buckets.
    private let stripes: Int
    /// Slots from one stripe's set to the next: `count` rounded up to 16.
    private let stride: Int
    private let slots: UnsafeMutablePointer<Atomic<UInt64>>
    /// How far a slot's tag may be ahead of an add's for the add to count as
    /// late: four turns of the slots. A tag further ahead is taken as older
    /// (wrapped around), such as the 0 of a slot never written.
    private let lateness: UInt32

    init(count: Int, bucketNanoseconds: UInt64, striped: Bool = false) {
        precondition(count >= 1 && bucketNanoseconds >= 1, "invalid buckets: \(count) of \(bucketNanoseconds) ns")
        self.count = count
        self.bucketNanoseconds = bucketNanoseconds
        stripes = striped ? StripedCounters.stripes : 1
        stride = (count + 15) / 16 * 16
        lateness = UInt32(clamping: 4 * count)
        let total = stripes * stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: total * MemoryLayout<Atomic<UInt64>>.stride, alignment: 128)
        slots = raw.bindMemory(to: Atomic<UInt64>.self, capacity: total)
        for index in 0..<total {
            // Tag 0 and value 0: empty for every epoch.
            (slots + index).initialize(to: Atomic(0))
        }
    }

    deinit {
        slots.deinitialize(count: stripes * stride)
        UnsafeMutableRawPointer(slots).deallocate()
    }

    @inline(__always)
    func epoch(at now: UInt64) -> UInt64 {
        now / bucketNanoseconds
    }

    /// Adds `amount` to the bucket of `epoch`.
    @inline(__always)
    func add(_ amount: UInt32, epoch: UInt64) {
        let tag = UInt32(truncatingIfNeeded: epoch)
        let base = stripes == 1 ? 0 : StripedCounters.currentStripe() * stride
        let slot = slots + base + Int(epoch % UInt64(count))
        var stored = slot.pointee.load(ordering: .relaxed)
        while true {
            let storedTag = UInt32(truncatingIfNeeded: stored >> 32)
            let desired: UInt64
            if storedTag == tag {
                let (sum, overflow) = UInt32(truncatingIfNeeded: stored).addingReportingOverflow(amount)
                desired = UInt64(tag) << 32 | UInt64(overflow ? .max : sum)
            } else if storedTag &- tag <= lateness {
                return
            } else {
                desired = UInt64(tag) << 32 | UInt64(amount)
            }
            let (exchanged, current) = slot.pointee.compareExchange(expected: stored, desired: desired, ordering: .relaxed)
            if exchanged { return }
            stored = current
        }
    }

    /// Adds `amount` to the bucket of `now`.
    func add(_ amount: UInt32, at now: UInt64) {
        add(amount, epoch: epoch(at: now))
    }

    /// Returns the value of `epoch`'s bucket, or 0 when its slot is at
    /// another epoch.
    @inline(__always)
    func value(ofEpoch epoch: UInt64) -> UInt32 {
        let index = Int(epoch % UInt64(count))
        var total: UInt64 = 0
        for stripe in 0..<stripes {
            total &+= UInt64(value(slots[stripe * stride + index].load(ordering: .relaxed), epoch: epoch))
        }
        return UInt32(clamping: total)
    }

    /// Returns the sum over the window of `count` buckets that ends with
    /// `epoch`'s. It walks the slots backwards from `epoch`'s without a
    /// division per slot, which made a sum of 10 slots cost about 50 ns.
    @inline(__always)
    func sum(endingAt epoch: UInt64) -> UInt64 {
        var total: UInt64 = 0
        for stripe in 0..<stripes {
            let first = stripe * stride
            var index = Int(epoch % UInt64(count))
            var current = epoch
            for _ in 0..<min(UInt64(count), epoch + 1) {
                total &+= UInt64(value(slots[first + index].load(ordering: .relaxed), epoch: current))
                index = index == 0 ? count - 1 : index - 1
                // Wraps after epoch 0 only once the walk is over.
                current &-= 1
            }
        }
        return total
    }

    /// Returns the sum over the window that ends with `now`'s bucket.
    func sum(at now: UInt64) -> UInt64 {
        sum(endingAt: epoch(at: now))
    }

    @inline(__always)
    private func value(_ stored: UInt64, epoch: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: stored >> 32) == UInt32(truncatingIfNeeded: epoch) ? UInt32(truncatingIfNeeded: stored) : 0
    }
}
