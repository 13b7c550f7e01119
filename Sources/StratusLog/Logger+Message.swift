extension Logger {
    /// The text of a log event. Write it as a string literal, with
    /// interpolation if needed. Put values that tools search for in metadata.
    public struct Message: Sendable, Hashable, CustomStringConvertible,
        ExpressibleByStringLiteral, ExpressibleByStringInterpolation
    {
        public var description: String

        public init(stringLiteral value: String) {
            description = value
        }
    }
}
