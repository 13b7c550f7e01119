/// An error of the orchestrator: a message that names the value at fault
/// and what to do.
public struct OrchestratorError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
