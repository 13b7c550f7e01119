/// The keyed container of a configuration mapping.
///
/// Every key it looks up counts as read, and `allKeys` (which dictionaries
/// decode through) counts every key of the mapping as read.
struct KeyedConfigContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let context: ConfigDecodingContext
    let value: ConfigValue
    let mapping: ConfigMapping
    let path: ConfigKeyPath

    var codingPath: [any CodingKey] { path.codingKeys }

    /// The mapping's keys, then keys that `--set` flags add below it.
    var allKeys: [Key] {
        var keys = mapping.entries.map(\.key)
        context.record.readEntries.formUnion(mapping.entries.map(\.id))
        for key in context.sources.flagKeys(below: path) where !keys.contains(key) {
            keys.append(key)
        }
        return keys.compactMap(Key.init(stringValue:))
    }

    func contains(_ key: Key) -> Bool {
        (try? child(key)) != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try child(key)?.isNull ?? true
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decodeValue(type, forKey: key)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let child = try child(key), !child.isNull else {
            return nil
        }
        return try context.decode(type, from: child, path: path.appending(key: key.stringValue))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try childDecoder(key, expected: "a mapping").container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try childDecoder(key, expected: "a sequence").unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        try childDecoder(ConfigCodingKey(stringValue: "super"), expected: "a value")
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try childDecoder(key, expected: "a value")
    }

    /// Decodes the value of a key that must be present.
    func decodeValue<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let childPath = path.appending(key: key.stringValue)
        guard let child = try child(key) else {
            throw context.missing(childPath, in: value, expected: ExpectedValue.describe(type))
        }
        return try context.decode(type, from: child, path: childPath)
    }

    private func child(_ key: some CodingKey) throws(ConfigurationError) -> ConfigValue? {
        try context.child(of: value, key: key.stringValue, parentPath: path)
    }

    private func childDecoder(_ key: some CodingKey, expected: String) throws(ConfigurationError) -> ConfigDecoder {
        let childPath = path.appending(key: key.stringValue)
        guard let child = try child(key) else {
            throw context.missing(childPath, in: value, expected: expected)
        }
        return ConfigDecoder(context: context, value: child, path: childPath)
    }
}
