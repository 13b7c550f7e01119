import CStratusLinux
import Glibc
import Synchronization

/// Counters that every request adds to, striped by CPU: each stripe sits
/// on its own 128-byte block, and a thread adds to the stripe of the CPU
/// it runs on. Threads on different CPUs then do not pass one cache line
/// back and forth. Reading sums the stripes, so a read concurrent with
/// adds may miss the latest of them.
final class StripedCounters: @unchecked Sendable {
    // @unchecked: `slots` is allocated once and only reached through atomics.

    /// Stripes per counter: the configured CPUs rounded up to a power of
    /// two, at most 16.
    static let stripes: Int = {
        let processors = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_CONF))))
        var stripes = 1
        while stripes < processors && stripes < 16 {
            stripes <<= 1
        }
        return stripes
    }()

    /// Atomics per stripe: 16 × 8 bytes, one 128-byte block.
    static let stride = 16

    private let slots: UnsafeMutablePointer<Atomic<Int>>

    /// - Parameter count: the counters, at most `stride`, which share each
    ///   stripe's block.
    init(count: Int) {
        precondition(count >= 1 && count <= Self.stride, "invalid striped counter count \(count): expected 1 to \(Self.stride)")
        let total = Self.stripes * Self.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: total * MemoryLayout<Atomic<Int>>.stride, alignment: 128)
        slots = raw.bindMemory(to: Atomic<Int>.self, capacity: total)
        for index in 0..<total {
            (slots + index).initialize(to: Atomic(0))
        }
    }

    deinit {
        slots.deinitialize(count: Self.stripes * Self.stride)
        UnsafeMutableRawPointer(slots).deallocate()
    }

    /// Returns the stripe of the CPU the calling thread runs on.
    @inline(__always)
    static func currentStripe() -> Int {
        let cpu = Int(cstratus_current_cpu())
        return cpu < 0 ? 0 : cpu & (stripes - 1)
    }

    /// Adds `amount` to counter `index`.
    @inline(__always)
    func add(_ amount: Int, to index: Int) {
        slots[Self.currentStripe() * Self.stride + index].wrappingAdd(amount, ordering: .relaxed)
    }

    /// Returns counter `index`, summed over the stripes.
    func value(_ index: Int) -> Int {
        var total = 0
        for stripe in 0..<Self.stripes {
            total &+= slots[stripe * Self.stride + index].load(ordering: .relaxed)
        }
        return total
    }
}
