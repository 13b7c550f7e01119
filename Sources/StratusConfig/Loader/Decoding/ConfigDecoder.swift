/// A `Decoder` over one value of a configuration tree, with overrides
/// applied as keys are read.
struct ConfigDecoder: Decoder {
    let context: ConfigDecodingContext
    let value: ConfigValue
    let path: ConfigKeyPath

    var codingPath: [any CodingKey] { path.codingKeys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let (mapping, mappingValue) = try context.mapping(of: value, path: path)
        return KeyedDecodingContainer(KeyedConfigContainer<Key>(context: context, value: mappingValue, mapping: mapping, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (elements, sequenceValue) = try context.sequence(of: value, path: path)
        return UnkeyedConfigContainer(context: context, value: sequenceValue, elements: elements, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueConfigContainer(context: context, value: value, path: path)
    }
}
