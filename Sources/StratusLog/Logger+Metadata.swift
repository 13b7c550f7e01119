extension Logger {
    /// Key-value data attached to an event. Keys are dotted names such as
    /// `request.id`. Define each key once and reuse the constant.
    public typealias Metadata = [String: MetadataValue]

    /// A metadata value: a string, a value printed through its description,
    /// or a nested dictionary or array of values.
    public indirect enum MetadataValue: Sendable {
        case string(String)
        /// A value whose `description` is computed only when a handler prints it.
        case stringConvertible(any CustomStringConvertible & Sendable)
        case dictionary(Metadata)
        case array([MetadataValue])
    }
}

extension Logger.MetadataValue: CustomStringConvertible {
    /// The value as text. Dictionaries print their entries sorted by key so
    /// that the same metadata always prints the same way.
    public var description: String {
        switch self {
        case .string(let string):
            string
        case .stringConvertible(let value):
            value.description
        case .array(let values):
            "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .dictionary(let entries):
            "[" + entries.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
        }
    }
}

extension Logger.MetadataValue: Equatable {
    /// Compares two values. Two `stringConvertible` values are equal when
    /// their descriptions are.
    public static func == (lhs: Logger.MetadataValue, rhs: Logger.MetadataValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let left), .string(let right)):
            left == right
        case (.stringConvertible(let left), .stringConvertible(let right)):
            left.description == right.description
        case (.array(let left), .array(let right)):
            left == right
        case (.dictionary(let left), .dictionary(let right)):
            left == right
        default:
            false
        }
    }
}

extension Logger.MetadataValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension Logger.MetadataValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Logger.MetadataValue)...) {
        self = .dictionary(Logger.Metadata(elements, uniquingKeysWith: { $1 }))
    }
}

extension Logger.MetadataValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Logger.MetadataValue...) {
        self = .array(elements)
    }
}
