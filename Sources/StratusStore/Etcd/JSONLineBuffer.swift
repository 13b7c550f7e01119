/// Splits a byte stream into lines, for the gateway's streamed responses,
/// which send one JSON object per line.
struct JSONLineBuffer {
    private var bytes: [UInt8] = []
    /// The start of the first line not yet returned.
    private var start = 0
    /// The index at which the search for the next line feed resumes, so that
    /// a long line arriving in many chunks is scanned once.
    private var searched = 0

    mutating func append(_ chunk: [UInt8]) {
        if start > 0 && start >= bytes.count / 2 {
            // Drop returned lines so that the buffer does not grow with the stream.
            bytes.removeFirst(start)
            searched -= start
            start = 0
        }
        bytes.append(contentsOf: chunk)
    }

    /// Returns the next complete line without its line feed, skipping blank
    /// lines, or nil until a line feed arrives.
    mutating func nextLine() -> ArraySlice<UInt8>? {
        while let newline = bytes[max(start, searched)...].firstIndex(of: 0x0A) {
            let line = bytes[start..<newline]
            start = newline + 1
            searched = start
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                return line
            }
        }
        searched = bytes.count
        return nil
    }
}
