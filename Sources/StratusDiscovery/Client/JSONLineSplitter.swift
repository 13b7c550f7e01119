/// Splits a byte stream into lines, skipping empty ones (the keep-alive
/// lines of a watch stream).
package struct JSONLineSplitter {
    private var pending: [UInt8] = []

    /// Adds a chunk and returns the complete, non-empty lines it finished.
    package init() {}

    package mutating func append(_ chunk: [UInt8]) -> [[UInt8]] {
        pending.append(contentsOf: chunk)
        var lines: [[UInt8]] = []
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if newline > start {
                lines.append(Array(pending[start..<newline]))
            }
            start = newline + 1
        }
        pending.removeSubrange(..<start)
        return lines
    }
}
