extension KeyedDecodingContainer {
    /// Decodes the value for `key`, or returns `defaultValue` when the key
    /// is absent or null.
    ///
    /// Synthesized `Decodable` conformances ignore property initial values,
    /// so a type whose keys may be left out of the configuration decodes
    /// them in its own `init(from:)`:
    ///
    /// ```swift
    /// init(from decoder: any Decoder) throws {
    ///     let container = try decoder.container(keyedBy: CodingKeys.self)
    ///     port = try container.decode(Int.self, forKey: .port, default: 8080)
    /// }
    /// ```
    public func decode<T: Decodable>(_ type: T.Type, forKey key: Key, default defaultValue: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(type, forKey: key) ?? defaultValue()
    }
}
