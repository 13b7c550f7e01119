import Foundation
public import StratusConfig

/// The 32-byte AES-256 key that encrypts the config center's secret values,
/// and its id: the first 16 hex digits of the key's SHA-256 digest, stored
/// with every ciphertext so that a wrong key is named instead of failing as
/// a corrupt value.
public struct SecretKey: Sendable, Hashable {
    /// The variable that holds the key when no key file is given.
    public static let environmentVariable = "STRATUS_CONFIG_KEY"

    let bytes: [UInt8]
    public let id: String

    /// Reads a key from 32 bytes written as base64 (44 characters) or as
    /// 64 hex digits; white space around it is ignored.
    ///
    /// - Parameter source: where the text came from, for the error message,
    ///   such as `STRATUS_CONFIG_KEY` or `--secret-key-file key.txt`.
    /// - Throws: `ConfigCenterError` with code `invalidArgument` that says
    ///   what was found, never the text itself.
    public init(text: String, source: String) throws(ConfigCenterError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let decoded: [UInt8]?
        if trimmed.count == 64, trimmed.allSatisfy(\.isHexDigit) {
            decoded = stride(from: 0, to: 64, by: 2).map { offset in
                let start = trimmed.index(trimmed.startIndex, offsetBy: offset)
                return UInt8(trimmed[start..<trimmed.index(start, offsetBy: 2)], radix: 16)!
            }
        } else {
            decoded = Data(base64Encoded: trimmed).map(Array.init)
        }
        guard let decoded, decoded.count == 32 else {
            let found = decoded.map { "\($0.count) bytes" } ?? "text that is neither base64 nor hex"
            throw ConfigCenterError(
                .invalidArgument,
                "invalid config secret key in \(source): expected 32 bytes as base64 or 64 hex digits, found \(found); generate one with `openssl rand -base64 32`"
            )
        }
        try self.init(bytes: decoded)
    }

    init(bytes: [UInt8]) throws(ConfigCenterError) {
        self.bytes = bytes
        id = try CryptoPrimitives.sha256(bytes).prefix(8).map { byte in
            (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }

    /// Reads the key from a file.
    /// - Throws: `ConfigCenterError` naming the file when it cannot be read
    ///   or holds no valid key.
    public static func load(file path: String) throws(ConfigCenterError) -> SecretKey {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigCenterError(.invalidArgument, "cannot read the config secret key file \(path): \(error.localizedDescription); check the path and its permissions")
        }
        return try SecretKey(text: text, source: "--secret-key-file \(path)")
    }

    /// Reads the key from `STRATUS_CONFIG_KEY`; nil when the variable is unset or empty.
    public static func fromEnvironment(_ environment: [String: String]) throws(ConfigCenterError) -> SecretKey? {
        guard let text = environment[environmentVariable], !text.isEmpty else { return nil }
        return try SecretKey(text: text, source: environmentVariable)
    }
}

extension SecretKey: CustomStringConvertible {
    /// The key id only, so that printing a key never shows it.
    public var description: String { "SecretKey(id: \(id))" }
}
