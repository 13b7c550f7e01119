/// The address of one config-center namespace: the application it
/// configures, the environment and the namespace name, such as
/// `iam-apiserver` / `dev` / `application`.
public struct NamespaceCoordinates: Sendable, Hashable, Codable, CustomStringConvertible {
    public var application: String
    public var environment: String
    public var namespace: String

    public init(application: String, environment: String, namespace: String) {
        self.application = application
        self.environment = environment
        self.namespace = namespace
    }

    /// `iam-apiserver/dev/application`, as errors and logs name the namespace.
    public var description: String { "\(application)/\(environment)/\(namespace)" }

    /// The longest application, environment or namespace name.
    public static let maxNameLength = 63

    /// Checks every part: 1 to 63 lowercase letters, digits or "-",
    /// starting with a letter, as service names are.
    ///
    /// - Throws: `ConfigCenterError` with code `invalidArgument` naming the
    ///   part and its value.
    public func validate() throws(ConfigCenterError) {
        try Self.validate(name: application, part: "application")
        try Self.validate(name: environment, part: "environment")
        try Self.validate(name: namespace, part: "namespace")
    }

    package static func validate(name: String, part: String) throws(ConfigCenterError) {
        let bytes = Array(name.utf8)
        let isLetter = { (byte: UInt8) in (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        let valid = !bytes.isEmpty && bytes.count <= maxNameLength && isLetter(bytes[0])
            && bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
        guard valid else {
            throw ConfigCenterError(
                .invalidArgument,
                "invalid \(part) name \"\(name)\"; expected 1 to \(maxNameLength) lowercase letters, digits or \"-\", starting with a letter, such as iam-apiserver"
            )
        }
    }
}
