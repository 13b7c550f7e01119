extension KeyedDecodingContainer {
    /// Decodes the value for `key`, or returns `defaultValue` when the key
    /// is absent or null. Synthesized conformances ignore property initial
    /// values, so configurations decode their optional keys with this.
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key, or defaultValue: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(type, forKey: key) ?? defaultValue()
    }
}
