import Synchronization

extension Atomic where Value == UInt64 {
    /// Reads the value as a `Double` stored by its bit pattern.
    @inline(__always)
    func loadDouble() -> Double {
        Double(bitPattern: load(ordering: .relaxed))
    }

    @inline(__always)
    func storeDouble(_ value: Double) {
        store(value.bitPattern, ordering: .relaxed)
    }

    /// Adds `amount` to the `Double` stored by its bit pattern, retrying the
    /// compare-exchange until no other thread changed the value in between.
    @inline(__always)
    func addDouble(_ amount: Double) {
        var current = load(ordering: .relaxed)
        while true {
            let updated = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = weakCompareExchange(
                expected: current,
                desired: updated,
                ordering: .relaxed
            )
            if exchanged {
                return
            }
            current = original
        }
    }
}
