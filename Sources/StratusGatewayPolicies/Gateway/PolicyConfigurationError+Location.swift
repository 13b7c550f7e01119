import StratusGateway

extension PolicyConfigurationError {
    /// Whether the value is a secret that messages must not show.
    var isSecret: Bool {
        value == "[REDACTED]"
    }

    /// Returns this error located in the gateway's configuration, at
    /// `field` inside `value`: its file, line, column and key path.
    ///
    /// A secret's own value is never pointed at, because the gateway's
    /// message shows the scalar found there: the error points at the
    /// mapping around it, and the reason names the field.
    func located(in value: GatewayPluginValue) -> any Error {
        // A list element is a mapping here (a credential, a key), so only a
        // secret's own scalar field is left out.
        guard isSecret, !field.hasSuffix("]") else {
            return value.error(reason, at: field)
        }
        let parent = Self.parent(of: field)
        let rest = field.dropFirst(parent.count).drop { $0 == "." }
        return value.error("\(rest): \(reason)", at: parent)
    }

    /// The reason without the field, which the location names: `expected
    /// one of HS256, ...`, or `missing; expected ...` for a missing field.
    private var reason: String {
        value == nil ? "missing; expected \(expected)" : "expected \(expected)"
    }

    /// Returns the field one level up: `keys[0].secret` gives `keys[0]`.
    private static func parent(of field: String) -> String {
        guard let index = field.lastIndex(where: { $0 == "." || $0 == "[" }) else { return "" }
        return String(field[..<index])
    }
}

/// Decodes `T` and keeps a `PolicyConfigurationError` that its checks
/// throw as a value, so the caller can locate it in the configuration. The
/// loader would otherwise locate it at the value as a whole.
struct PolicyDecoding<T: Decodable & Sendable>: Decodable, Sendable {
    let result: Result<T, PolicyConfigurationError>

    init(from decoder: any Decoder) throws {
        do {
            result = .success(try T(from: decoder))
        } catch let error as PolicyConfigurationError {
            result = .failure(error)
        }
    }
}

extension GatewayPluginValue {
    /// Decodes the value as `type`, locating an error of the type's checks
    /// at the field it names.
    func decodePolicy<T: Decodable & Sendable>(_ type: T.Type) throws -> T {
        switch try decode(PolicyDecoding<T>.self).result {
        case .success(let value): value
        case .failure(let error): throw error.located(in: self)
        }
    }
}
