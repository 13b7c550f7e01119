import CStratusLinux
import Synchronization

/// The decisions of one policy: how many requests it admitted, rejected,
/// and, in dry-run mode, would have rejected but admitted.
///
/// Every decision adds to a counter, so the counts are striped by CPU:
/// each stripe sits on its own 128-byte block, and a thread adds to the
/// stripe of the CPU it runs on. Threads on different CPUs then do not pass
/// one cache line back and forth. Reading sums the stripes, so a read
/// concurrent with decisions may miss the latest of them.
public final class PolicyCounters: @unchecked Sendable {
    // @unchecked: `slots` is allocated once and only reached through atomics.

    private static let stripes = 16
    /// Atomics per stripe: 16 × 8 bytes, one 128-byte block.
    private static let stride = 16
    private static let admittedSlot = 0
    private static let rejectedSlot = 1
    private static let wouldRejectSlot = 2

    private let slots: UnsafeMutablePointer<Atomic<Int>>

    public init() {
        let count = Self.stripes * Self.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Atomic<Int>>.stride, alignment: 128)
        slots = raw.bindMemory(to: Atomic<Int>.self, capacity: count)
        for index in 0..<count {
            (slots + index).initialize(to: Atomic(0))
        }
    }

    deinit {
        slots.deinitialize(count: Self.stripes * Self.stride)
        UnsafeMutableRawPointer(slots).deallocate()
    }

    public var admitted: Int { sum(Self.admittedSlot) }
    public var rejected: Int { sum(Self.rejectedSlot) }
    /// Requests a dry-run policy admitted although it would have rejected them.
    public var wouldReject: Int { sum(Self.wouldRejectSlot) }

    /// Counts `decision` and returns what the caller must do under `mode`.
    @inline(__always)
    func apply(_ decision: PolicyDecision, mode: EnforcementMode) -> PolicyDecision {
        let stripe = stripeBase()
        switch (decision, mode) {
        case (.admitted, _):
            slots[stripe + Self.admittedSlot].add(1, ordering: .relaxed)
            return decision
        case (.rejected, .enforce):
            slots[stripe + Self.rejectedSlot].add(1, ordering: .relaxed)
            return decision
        case (.rejected, .dryRun):
            slots[stripe + Self.wouldRejectSlot].add(1, ordering: .relaxed)
            slots[stripe + Self.admittedSlot].add(1, ordering: .relaxed)
            return .admitted
        }
    }

    /// Returns the first slot of the calling CPU's stripe.
    @inline(__always)
    private func stripeBase() -> Int {
        let cpu = Int(cstratus_current_cpu())
        return (cpu < 0 ? 0 : cpu & (Self.stripes - 1)) * Self.stride
    }

    private func sum(_ slot: Int) -> Int {
        var total = 0
        for stripe in 0..<Self.stripes {
            total &+= slots[stripe * Self.stride + slot].load(ordering: .relaxed)
        }
        return total
    }
}
