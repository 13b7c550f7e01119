/// A typed attribute value, as OpenTelemetry defines them: a string, a 64-bit
/// integer, a double, a bool, or a homogeneous array of one of these.
public enum SpanAttribute: Sendable, Hashable {
    case string(String)
    case int64(Int64)
    case double(Double)
    case bool(Bool)
    case stringArray([String])
    case int64Array([Int64])
    case doubleArray([Double])
    case boolArray([Bool])
}

/// A value that converts to a `SpanAttribute`, so that
/// `span.attributes["http.response.status_code"] = 200` works.
public protocol SpanAttributeConvertible: Sendable {
    func toSpanAttribute() -> SpanAttribute
}

extension SpanAttribute: SpanAttributeConvertible {
    public func toSpanAttribute() -> SpanAttribute { self }
}

extension String: SpanAttributeConvertible {
    public func toSpanAttribute() -> SpanAttribute { .string(self) }
}

extension Substring: SpanAttributeConvertible {
    public func toSpanAttribute() -> SpanAttribute { .string(String(self)) }
}

extension Int: SpanAttributeConvertible {
    public func toSpanAttribute() -> SpanAttribute { .int64(Int64(self)) }
}

extension Int64: SpanAttributeConvertible {
    public func toSpanAttribute() -> SpanAttribute { .int64(self) }
}

extension Int32: SpanAttributeConvertible {
    public func toSpanAttribute() -> SpanAttribute { .int64(Int64(self)) }
}

extension Double: SpanAttributeConvertible {
    public func toSpanAttribute() -> SpanAttribute { .double(self) }
}

extension Bool: SpanAttributeConvertible {
    public func toSpanAttribute() -> SpanAttribute { .bool(self) }
}

extension Array: SpanAttributeConvertible where Element: SpanAttributeConvertible {
    /// An array of strings, integers, doubles or bools. Mixed element types
    /// cannot occur, because `Element` is one type. Arrays of other
    /// convertible types become string arrays of their elements' values.
    public func toSpanAttribute() -> SpanAttribute {
        if let strings = self as? [String] { return .stringArray(strings) }
        if let integers = self as? [Int64] { return .int64Array(integers) }
        if let integers = self as? [Int] { return .int64Array(integers.map(Int64.init)) }
        if let doubles = self as? [Double] { return .doubleArray(doubles) }
        if let bools = self as? [Bool] { return .boolArray(bools) }
        return .stringArray(map { $0.toSpanAttribute().description })
    }
}

extension SpanAttribute: CustomStringConvertible {
    /// The value as plain text: a string unquoted, an array as `[a, b]`.
    public var description: String {
        switch self {
        case .string(let value): value
        case .int64(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        case .stringArray(let values): "[" + values.joined(separator: ", ") + "]"
        case .int64Array(let values): "[" + values.map(String.init).joined(separator: ", ") + "]"
        case .doubleArray(let values): "[" + values.map { String($0) }.joined(separator: ", ") + "]"
        case .boolArray(let values): "[" + values.map(String.init).joined(separator: ", ") + "]"
        }
    }
}

/// The attributes of a span, an event or a link, by key.
///
/// Keys follow the OpenTelemetry semantic conventions (`http.request.method`).
/// Setting a key again replaces its value; setting nil removes it.
///
/// The attributes are stored in an array in the order they were first set,
/// because a span has a dozen or so and a linear scan over them costs less
/// than hashing every key. Equality ignores that order.
public struct SpanAttributes: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    private var storage: [Entry]

    /// A struct rather than a tuple, so that the compiler emits a direct
    /// destructor for it instead of the runtime's generic tuple one.
    private struct Entry: Sendable {
        var key: String
        var value: SpanAttribute
    }

    public init() {
        storage = []
    }

    /// Creates an empty set of attributes with room for `capacity` of them.
    public init(reservingCapacity capacity: Int) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// Creates attributes from a dictionary, ordered by key because a
    /// dictionary has no stable order.
    public init(_ attributes: [String: SpanAttribute]) {
        storage = attributes.sorted { $0.key < $1.key }.map { Entry(key: $0.key, value: $0.value) }
    }

    public init(dictionaryLiteral elements: (String, SpanAttribute)...) {
        storage = []
        storage.reserveCapacity(elements.count)
        for (key, value) in elements {
            set(value, forKey: key)
        }
    }

    public subscript(key: String) -> (any SpanAttributeConvertible)? {
        get { attribute(forKey: key) }
        set { set(newValue?.toSpanAttribute(), forKey: key) }
    }

    /// The attribute under `key`, with its type.
    public func attribute(forKey key: String) -> SpanAttribute? {
        guard let index = index(forKey: key) else { return nil }
        return storage[index].value
    }

    /// Sets the attribute under `key`, replacing its value, or removes it
    /// when `value` is nil.
    public mutating func set(_ value: SpanAttribute?, forKey key: String) {
        let existing = index(forKey: key)
        switch (existing, value) {
        case (let index?, let value?): storage[index].value = value
        case (let index?, nil): storage.remove(at: index)
        case (nil, let value?): storage.append(Entry(key: key, value: value))
        case (nil, nil): break
        }
    }

    /// Appends an attribute under a key that is not set yet, skipping the
    /// search for it. Instrumentation that builds a span's attributes from
    /// distinct constant keys calls it.
    mutating func append(_ value: SpanAttribute, forNewKey key: String) {
        assert(index(forKey: key) == nil, "attribute \(key) is already set")
        storage.append(Entry(key: key, value: value))
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    /// Calls `body` for each attribute, in the order the keys were first set,
    /// so that exports of the same spans are reproducible.
    public func forEach(_ body: (String, SpanAttribute) throws -> Void) rethrows {
        // Borrowing the entries from the buffer passes them without
        // retaining and releasing each key and value. Exporters call this
        // for every attribute of every span.
        try storage.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                try body(entries[index].key, entries[index].value)
            }
        }
    }

    /// Adds the attributes of `other`, replacing values under the same keys.
    public mutating func merge(_ other: SpanAttributes) {
        for entry in other.storage {
            set(entry.value, forKey: entry.key)
        }
    }

    /// Keeps the first `limit` attributes in the order they were set.
    mutating func truncate(to limit: Int) {
        if storage.count > limit {
            storage.removeLast(storage.count - limit)
        }
    }

    private func index(forKey key: String) -> Int? {
        // Keys of different lengths differ in their stored UTF-8 counts, so
        // most keys are passed over without a string comparison.
        let length = key.utf8.count
        return storage.firstIndex { $0.key.utf8.count == length && $0.key == key }
    }

    public static func == (lhs: SpanAttributes, rhs: SpanAttributes) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.storage.allSatisfy { rhs.attribute(forKey: $0.key) == $0.value }
    }

    /// Combines the attributes so that their order does not change the hash,
    /// as equality requires.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for entry in storage {
            var attributeHasher = Hasher()
            attributeHasher.combine(entry.key)
            attributeHasher.combine(entry.value)
            combined ^= attributeHasher.finalize()
        }
        hasher.combine(storage.count)
        hasher.combine(combined)
    }
}
