import StratusKit

/// One value of the configuration that a plugin suite reads, such as a
/// route's `plugins.jwt` or a consumer's entry, with the key path it is at.
///
/// Decoding goes through the gateway's loader, so a wrong value is reported
/// with the file, line, column and key path, and the keys read count as
/// known when the gateway checks for unknown keys.
public struct GatewayPluginValue: Sendable {
    /// The key path of the value, such as `routes[2].plugins.jwt`.
    public let keyPath: String
    let loader: ConfigurationLoader

    init(keyPath: String, loader: ConfigurationLoader) {
        self.keyPath = keyPath
        self.loader = loader
    }

    /// Decodes the value as `type`. A null or absent value decodes as an
    /// empty mapping, so a plugin whose settings all have defaults may be
    /// enabled with `name: {}` or `name:`.
    ///
    /// - Throws: the loader's error, located at the value.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let value = try loader.load(type, at: keyPath) {
            return value
        }
        return try GatewayPluginValue.decodeEmpty(type, name: keyPath)
    }

    /// Returns the value at `field` inside this one, such as `keys[0]`.
    public func child(_ field: String) -> GatewayPluginValue {
        GatewayPluginValue(keyPath: Self.join(keyPath, field), loader: loader)
    }

    /// Returns an error about the value at `field` inside this one (this
    /// value itself when `field` is empty), located at its line and column
    /// when the text has it, else at the nearest enclosing value.
    ///
    /// The message shows the value found unless it is a mapping or a
    /// sequence, so point `field` at a mapping around a secret, never at
    /// the secret itself.
    public func error(_ reason: String, at field: String = "") -> any Error {
        GatewayPluginValue.locatedError(reason, keyPath: Self.join(keyPath, field), loader: loader)
    }

    static func join(_ keyPath: String, _ field: String) -> String {
        if field.isEmpty { return keyPath }
        if keyPath.isEmpty { return field }
        return field.hasPrefix("[") ? keyPath + field : keyPath + "." + field
    }

    /// Decodes an empty mapping as `type`, for a plugin enabled without settings.
    static func decodeEmpty<T: Decodable>(_ type: T.Type, name: String) throws -> T {
        try ConfigurationLoader(yaml: Array("{}".utf8), name: name).load(T.self)
    }

    /// Builds an error at `keyPath`. When nothing is at `keyPath` (a
    /// missing field), the error is located at the nearest enclosing value
    /// and its reason starts with the rest of the path.
    static func locatedError(_ reason: String, keyPath: String, loader: ConfigurationLoader) -> any Error {
        var path = keyPath
        while !path.isEmpty {
            let rest = keyPath.dropFirst(path.count).drop { $0 == "." }
            let located = rest.isEmpty ? reason : "\(rest): \(reason)"
            // Decoding a value that exists always throws an error located
            // at it, so nil means that nothing is at `path`.
            do {
                _ = try LocatedFailure.$reason.withValue(located) {
                    try loader.load(LocatedFailure.self, at: path)
                }
            } catch {
                return error
            }
            path = parent(of: path)
        }
        return GatewayPluginError(keyPath: keyPath, message: "\(keyPath): \(reason)")
    }

    /// Returns the key path one level up: `a.b[2]` gives `a.b`, and `a.b` gives `a`.
    private static func parent(of keyPath: String) -> String {
        guard let index = keyPath.lastIndex(where: { $0 == "." || $0 == "[" }) else { return "" }
        return String(keyPath[..<index])
    }
}

/// A value whose decoding always fails with `reason`, so the loader turns
/// the reason into an error located at the value.
private struct LocatedFailure: Decodable {
    @TaskLocal static var reason = "invalid value"

    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: Self.reason))
    }
}

/// A plugin's configuration problem without a place in the text, such as
/// one about a missing value.
public struct GatewayPluginError: Error, Sendable, CustomStringConvertible {
    /// The key path at fault, such as `routes[0].plugins.jwt`.
    public let keyPath: String
    public let message: String

    public init(keyPath: String, message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String { message }
}

/// Several problems that a plugin suite found in one configuration, which
/// the gateway reports one by one.
public struct GatewayPluginProblems: Error, Sendable {
    public var errors: [any Error]

    public init(_ errors: [any Error]) {
        self.errors = errors
    }
}
