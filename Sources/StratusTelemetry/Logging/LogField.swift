/// The names of the fields that the JSON and console handlers write
/// themselves. Metadata cannot replace them (see `JSONLogHandler`).
enum LogField {
    static let timestamp = "timestamp"
    static let level = "level"
    static let label = "label"
    static let message = "message"
    static let source = "source"
    static let traceID = "trace_id"
    static let spanID = "span_id"
    /// The number of identical events a burst summary stands for.
    static let suppressed = "log.suppressed"

    /// Returns true for the fields a metadata key must not overwrite. A
    /// switch costs less than hashing the key into a set, and handlers call
    /// this for every metadata key.
    static func isFixed(_ key: String) -> Bool {
        switch key {
        case timestamp, level, label, message, source, traceID, spanID: true
        default: false
        }
    }

    /// The prefix a metadata key that collides with a fixed field is
    /// written under: metadata `level` becomes `metadata.level`.
    static let collisionPrefix = "metadata."
}
