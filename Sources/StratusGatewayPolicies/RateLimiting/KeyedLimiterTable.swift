import Synchronization

/// Limiters by key, made on first use, with at most `capacity` keys. Once
/// full, new keys share the limiter of `overflowKey`, so memory and, for
/// cluster limits, store keys stay bounded whatever clients send.
final class KeyedLimiterTable<Limiter: Sendable>: Sendable {
    static var overflowKey: String { "\u{0}overflow" }

    private let capacity: Int
    private let make: @Sendable (String) -> Limiter
    private let limiters = Mutex<[String: Limiter]>([:])

    init(capacity: Int, make: @escaping @Sendable (String) -> Limiter) {
        self.capacity = capacity
        self.make = make
    }

    var count: Int { limiters.withLock { $0.count } }

    func limiter(for key: String) -> Limiter {
        limiters.withLock { limiters in
            if let existing = limiters[key] {
                return existing
            }
            let key = limiters.count < capacity ? key : Self.overflowKey
            if let overflow = limiters[key] {
                return overflow
            }
            let limiter = make(key)
            limiters[key] = limiter
            return limiter
        }
    }
}
