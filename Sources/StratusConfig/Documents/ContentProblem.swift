/// Why a document does not parse or does not pass its schema, and where.
package struct ContentProblem: Error, Sendable, Hashable {
    /// The 1-based line and column; 0 when the problem has no place in a
    /// text (a key-value item).
    package var line: Int
    package var column: Int
    package var reason: String

    package init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line 3, column 5: reason`, or the reason alone without a place.
    package var description: String {
        line > 0 ? "line \(line), column \(column): \(reason)" : reason
    }
}
