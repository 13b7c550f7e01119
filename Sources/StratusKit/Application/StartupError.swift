/// Why a service could not start: invalid settings, a port in use, a
/// registration the control plane rejected. The description is the one
/// line the process prints before it exits non-zero.
public struct StartupError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
