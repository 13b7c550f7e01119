/// The unkeyed container of a configuration sequence.
struct UnkeyedConfigContainer: UnkeyedDecodingContainer {
    let context: ConfigDecodingContext
    let value: ConfigValue
    let elements: [ConfigNode]
    let path: ConfigKeyPath
    private(set) var currentIndex = 0

    init(context: ConfigDecodingContext, value: ConfigValue, elements: [ConfigNode], path: ConfigKeyPath) {
        self.context = context
        self.value = value
        self.elements = elements
        self.path = path
    }

    var codingPath: [any CodingKey] { path.codingKeys }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func decodeNil() throws -> Bool {
        guard try current().isNull else {
            return false
        }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeElement(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let decoder = try currentDecoder()
        currentIndex += 1
        return try decoder.container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let decoder = try currentDecoder()
        currentIndex += 1
        return try decoder.unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = try currentDecoder()
        currentIndex += 1
        return decoder
    }

    /// Decodes the current element and moves past it.
    mutating func decodeElement<T: Decodable>(_ type: T.Type) throws -> T {
        let decoded = try context.decode(type, from: try current(), path: path.appending(.index(currentIndex)))
        currentIndex += 1
        return decoded
    }

    private func current() throws(ConfigurationError) -> ConfigValue {
        guard !isAtEnd else {
            throw context.tooFewElements(value, path: path, count: elements.count)
        }
        return try context.element(elements[currentIndex], of: value, path: path.appending(.index(currentIndex)))
    }

    private func currentDecoder() throws(ConfigurationError) -> ConfigDecoder {
        ConfigDecoder(context: context, value: try current(), path: path.appending(.index(currentIndex)))
    }
}
