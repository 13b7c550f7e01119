import Synchronization

/// A bounded map whose entries expire `ttl` after they were stored, on a
/// monotonic clock in nanoseconds.
///
/// When full, a store first drops expired entries and, if none expired,
/// empties the map: a burst of new keys then costs cache misses, never
/// memory. Thread safety: every method may be called from any thread; the
/// map is behind one `Mutex`.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expires: UInt64
    }

    let ttlNanoseconds: UInt64
    let capacity: Int
    private let entries = Mutex<[Key: Entry]>([:])

    init(ttl: Duration, capacity: Int) {
        ttlNanoseconds = ttl.wholeNanoseconds
        self.capacity = capacity
    }

    var isEnabled: Bool { ttlNanoseconds > 0 && capacity > 0 }

    var count: Int { entries.withLock { $0.count } }

    func value(for key: Key, now: UInt64) -> Value? {
        guard isEnabled else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard now < entry.expires else {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    func store(_ value: Value, for key: Key, now: UInt64) {
        guard isEnabled else { return }
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil {
                entries = entries.filter { now < $0.value.expires }
                if entries.count >= capacity {
                    entries.removeAll(keepingCapacity: true)
                }
            }
            entries[key] = Entry(value: value, expires: now + ttlNanoseconds)
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, 0 when negative, saturating at
    /// `UInt64.max`.
    var wholeNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (product, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .max }
        let (sum, sumOverflow) = product.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return sumOverflow ? .max : sum
    }
}
