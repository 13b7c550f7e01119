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
public struct SpanAttributes: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    private var storage: [String: SpanAttribute]

    public init() {
        storage = [:]
    }

    public init(_ attributes: [String: SpanAttribute]) {
        storage = attributes
    }

    public init(dictionaryLiteral elements: (String, SpanAttribute)...) {
        storage = Dictionary(elements, uniquingKeysWith: { $1 })
    }

    public subscript(key: String) -> (any SpanAttributeConvertible)? {
        get { storage[key] }
        set { storage[key] = newValue?.toSpanAttribute() }
    }

    /// The attribute under `key`, with its type.
    public func attribute(forKey key: String) -> SpanAttribute? {
        storage[key]
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    /// Calls `body` for each attribute, ordered by key so that exports are
    /// reproducible.
    public func forEach(_ body: (String, SpanAttribute) throws -> Void) rethrows {
        for key in storage.keys.sorted() {
            try body(key, storage[key]!)
        }
    }

    /// Adds the attributes of `other`, replacing values under the same keys.
    public mutating func merge(_ other: SpanAttributes) {
        storage.merge(other.storage) { $1 }
    }
}
