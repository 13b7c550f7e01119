/// The rule for route, upstream and consumer names: 1 to 64 letters,
/// digits, `.`, `_` or `-`. Names appear in metric labels, log fields and
/// admin API paths, so they must need no escaping there.
enum GatewayName {
    static func isValid(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// Throws a decoding error located at `key` when `name` breaks the rule.
    static func check<Key: CodingKey>(_ name: String, forKey key: Key, in container: KeyedDecodingContainer<Key>, what: String) throws {
        guard !isValid(name) else { return }
        throw DecodingError.dataCorruptedError(
            forKey: key, in: container,
            debugDescription: "invalid \(what) \"\(name)\": expected 1 to 64 letters, digits, '.', '_' or '-'"
        )
    }
}

/// Range checks that decoders share, each throwing a decoding error
/// located at the key.
enum ConfigCheck {
    static func require<Key: CodingKey>(_ condition: Bool, _ key: Key, in container: KeyedDecodingContainer<Key>, _ message: @autoclosure () -> String) throws {
        guard !condition else { return }
        throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message())
    }
}
