extension Logger {
    /// The severity of an event, from `trace` (most verbose) to `critical`.
    ///
    /// Levels compare by severity: `.trace < .debug < .info < .notice <
    /// .warning < .error < .critical`. The raw value is the lowercase name,
    /// which is also how levels are encoded and printed.
    public enum Level: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
        case trace
        case debug
        case info
        case notice
        case warning
        case error
        case critical

        public var description: String { rawValue }

        public static func < (lhs: Level, rhs: Level) -> Bool {
            lhs.severity < rhs.severity
        }

        private var severity: Int {
            switch self {
            case .trace: 0
            case .debug: 1
            case .info: 2
            case .notice: 3
            case .warning: 4
            case .error: 5
            case .critical: 6
            }
        }
    }
}
