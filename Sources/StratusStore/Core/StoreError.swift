/// An error of a store operation: a stable code, a message naming the value
/// at fault, and the compacted revision when that is the cause.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable reason. New codes may be added; match the ones you handle.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case compacted, futureRevision, leaseNotFound, unavailable, timedOut, invalidArgument, closed
        }

        private let value: Value

        /// The revision asked for was compacted, or a watch fell too far
        /// behind: list again and watch from the list's revision + 1.
        public static let compacted = Code(value: .compacted)
        /// The revision asked for is above the store's current revision.
        public static let futureRevision = Code(value: .futureRevision)
        /// The lease does not exist: it expired or was revoked.
        public static let leaseNotFound = Code(value: .leaseNotFound)
        /// The store cannot be reached or has no quorum; retrying may succeed.
        public static let unavailable = Code(value: .unavailable)
        /// The operation did not finish in time; it may or may not have applied.
        public static let timedOut = Code(value: .timedOut)
        /// The request is malformed; the message names the field and value.
        public static let invalidArgument = Code(value: .invalidArgument)
        /// The store was closed by its owner.
        public static let closed = Code(value: .closed)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String
    /// For `compacted`: the compacted revision, so a caller knows where
    /// history starts.
    public let compactRevision: Int64?

    public init(_ code: Code, _ message: String, compactRevision: Int64? = nil) {
        self.code = code
        self.message = message
        self.compactRevision = compactRevision
    }

    public var description: String { "store \(code): \(message)" }

    package static func invalid(_ message: String) -> StoreError {
        StoreError(.invalidArgument, message)
    }
}
