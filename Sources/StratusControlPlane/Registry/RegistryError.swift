public import StratusDiscovery
import StratusStore

/// An error of a registry operation, mapped to an HTTP status by the API.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidArgument = "invalid_argument"
        case notFound = "not_found"
        case conflict
        case unavailable
    }

    public let code: Code
    public let message: String
    public let validation: ValidationError?

    public init(_ code: Code, _ message: String, validation: ValidationError? = nil) {
        self.code = code
        self.message = message
        self.validation = validation
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func invalid(_ error: ValidationError) -> RegistryError {
        RegistryError(.invalidArgument, error.description, validation: error)
    }

    static func notRegistered(service: String, id: String) -> RegistryError {
        RegistryError(.notFound, "instance \(id) of service \(service) is not registered (its lease may have expired); register it again")
    }

    /// Maps a store failure: a malformed request is a bug here, anything
    /// else means the store is unavailable to the caller.
    static func store(_ error: any Error) -> RegistryError {
        if let error = error as? RegistryError { return error }
        if let error = error as? StoreError, error.code == .invalidArgument {
            return RegistryError(.invalidArgument, error.message)
        }
        return RegistryError(.unavailable, "the store failed: \(error)")
    }
}
