/// One key-value item of a namespace.
///
/// A secret item's value is encrypted at rest. Listings, diffs, history and
/// the audit log show it as `maskedValue`. Only the release that an
/// instance fetches carries the plain value.
public struct ConfigItem: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public var secret: Bool

    public init(key: String, value: String, secret: Bool = false) {
        self.key = key
        self.value = value
        self.secret = secret
    }

    /// The text shown in place of a secret value.
    public static let maskedValue = "******"

    /// The longest key, in bytes.
    public static let maxKeyLength = 256

    /// Checks a key: dot-separated parts of letters, digits, "_" or "-",
    /// such as `feature.newCheckout`, so that it is also a key path that
    /// decodes into nested types.
    ///
    /// - Throws: `ConfigCenterError` with code `invalidArgument`.
    public static func validate(key: String, in namespace: NamespaceCoordinates) throws(ConfigCenterError) {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !key.isEmpty && key.utf8.count <= maxKeyLength && parts.allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
        }
        guard valid else {
            throw ConfigCenterError(
                .invalidArgument,
                "invalid key \"\(key)\" in \(namespace); expected dot-separated parts of letters, digits, \"_\" or \"-\", at most \(maxKeyLength) bytes, such as feature.newCheckout",
                namespace: namespace,
                key: key
            )
        }
    }
}
