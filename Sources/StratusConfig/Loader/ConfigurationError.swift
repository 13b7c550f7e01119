/// An error of loading configuration: a stable code, the key path at fault
/// and a message that names the source (file and line, environment variable
/// or flag), what was expected, what was found and what to do.
///
/// ```
/// config.yaml:12:9: server.port: expected an integer from 0 to 65535, found "80a"; fix the value in config.yaml or override it with APP_SERVER_PORT
/// ```
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable reason. New codes may be added; match the ones you handle.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case fileNotReadable, invalidYAML, invalidValue, missingKey, unknownKeys, invalidOverride,
                invalidCommandLine, invalidKeyPath
        }

        private let value: Value

        /// The config file given could not be opened or read.
        public static let fileNotReadable = Code(value: .fileNotReadable)
        /// The file, or a YAML value given in an override, is not valid YAML
        /// or not a YAML document that a configuration may be. The causes
        /// are a syntax error, a second document, a duplicate key, an
        /// undefined or too deeply expanding alias and an unsupported tag.
        public static let invalidYAML = Code(value: .invalidYAML)
        /// A value has the wrong type or is out of range.
        public static let invalidValue = Code(value: .invalidValue)
        /// A key that the decoded type requires is in no source.
        public static let missingKey = Code(value: .missingKey)
        /// Keys, environment variables or `--set` flags that no load read.
        public static let unknownKeys = Code(value: .unknownKeys)
        /// A `KEY=VALUE` override is malformed, or two environment variables
        /// set the same key.
        public static let invalidOverride = Code(value: .invalidOverride)
        /// `--config` or `--set` is given without a valid value.
        public static let invalidCommandLine = Code(value: .invalidCommandLine)
        /// The key path given to `load(_:at:)` is malformed.
        public static let invalidKeyPath = Code(value: .invalidKeyPath)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// The dotted key path at fault, such as `server.port` or `peers[2]`;
    /// nil when the error is not about one key.
    public let keyPath: String?
    public let description: String
    /// Where the error is, when it is at one place in a text.
    let location: ConfigLocation?

    init(_ code: Code, keyPath: String? = nil, _ description: String, location: ConfigLocation? = nil) {
        self.code = code
        self.keyPath = keyPath
        self.description = description
        self.location = location
    }

    /// The description without the place it starts with.
    var reason: String {
        guard let prefix = location?.messagePrefix, description.hasPrefix(prefix) else { return description }
        return String(description.dropFirst(prefix.count))
    }
}
