/// An error of an event-bus operation: a stable code and a message that
/// names the value at fault and what to do.
public struct EventBusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable reason. New codes may be added; match the ones you handle.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The wire spelling, as the control plane's JSON error bodies carry it.
        public let rawValue: String

        /// A name, header, payload or option is invalid; the message names it.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The topic, group or message does not exist (or no longer does).
        public static let notFound = Code(rawValue: "not_found")
        /// The request conflicts with the message's state, such as a nack of
        /// a message that is not in flight.
        public static let conflict = Code(rawValue: "conflict")
        /// The broker cannot be reached or failed; retrying may succeed. A
        /// publish that failed this way may or may not have been stored.
        public static let unavailable = Code(rawValue: "unavailable")
        /// The broker did not answer in time; the operation may or may not
        /// have applied.
        public static let timedOut = Code(rawValue: "timed_out")
        /// The bus or subscription was closed by its owner.
        public static let closed = Code(rawValue: "closed")

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "event bus \(code): \(message)" }

    package static func invalid(_ field: String, _ value: String, expected: String) -> EventBusError {
        EventBusError(.invalidArgument, "invalid \(field) \"\(value.prefix(80))\": expected \(expected)")
    }
}
