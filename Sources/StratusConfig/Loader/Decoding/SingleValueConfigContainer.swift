/// The single-value container of a configuration value: where scalars are
/// read, by the type requested.
struct SingleValueConfigContainer: SingleValueDecodingContainer {
    let context: ConfigDecodingContext
    let value: ConfigValue
    let path: ConfigKeyPath

    var codingPath: [any CodingKey] { path.codingKeys }

    func decodeNil() -> Bool {
        value.isNull
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        try context.decodeScalar(type, from: value, path: path, ScalarDecoding.bool)
    }

    func decode(_ type: String.Type) throws -> String {
        try context.decodeScalar(type, from: value, path: path, ScalarDecoding.string)
    }

    func decode(_ type: Double.Type) throws -> Double { try float(type) }
    func decode(_ type: Float.Type) throws -> Float { try float(type) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try context.decode(type, from: value, path: path)
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws(ConfigurationError) -> T {
        try context.decodeScalar(type, from: value, path: path) { ScalarDecoding.integer($0, as: type) }
    }

    private func float<T: BinaryFloatingPoint>(_ type: T.Type) throws(ConfigurationError) -> T {
        try context.decodeScalar(type, from: value, path: path) { ScalarDecoding.float($0, as: type) }
    }
}
