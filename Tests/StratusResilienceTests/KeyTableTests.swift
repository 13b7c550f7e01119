@testable import StratusResilience
import Testing

/// The key table against a plain model: a dictionary and a recency list.
@Suite struct KeyTableTests {
    /// A least-recently-used map written the obvious way.
    private struct Model {
        let capacity: Int
        var values: [String: Int] = [:]
        var recency: [String] = []

        mutating func touch(_ key: String, create: Int) -> Int {
            if let value = values[key] {
                recency.removeAll { $0 == key }
                recency.append(key)
                return value
            }
            if values.count == capacity {
                values[recency.removeFirst()] = nil
            }
            values[key] = create
            recency.append(key)
            return create
        }
    }

    @Test(arguments: [1, 7, 64])
    func matchesModelUnderChurn(capacity: Int) {
        var table = KeyTable<Int>(capacity: capacity)
        var model = Model(capacity: capacity)
        var generator = SeededGenerator(state: UInt64(capacity))
        for step in 0..<20_000 {
            let key = "k\(generator.next() % UInt64(capacity * 3))"
            let stored = table.withState(for: HashedKey(key), create: { step }) { $0 }
            let expected = model.touch(key, create: step)
            #expect(stored == expected, "step \(step), key \(key)")
            if stored != expected { return }
        }
        #expect(table.count == model.values.count)
    }

    @Test func collidingHashesStayApart() {
        // Keys whose hashes share the low bits probe past each other, and
        // evicting one leaves the others reachable.
        var table = KeyTable<String>(capacity: 4)
        let keys = (0..<6).map { HashedKey(text: "key-\($0)", hash: $0 << 20) }
        for key in keys {
            _ = table.withState(for: key, create: { key.text }) { $0 }
        }
        #expect(table.count == 4)
        for key in keys.suffix(4) {
            #expect(table.withState(for: key, create: { "new" }) { $0 } == key.text)
        }
    }
}
