/// Finds the end of a message head in a growing buffer, enforcing CRLF line
/// endings as it goes.
///
/// Scanning resumes where it stopped, so feeding a head byte by byte costs the
/// same as feeding it at once, and both give the same result.
///
/// RFC 9112, section 2.2, allows a recipient to accept a bare LF as a line
/// ending. This scanner rejects it, because a proxy that reads it differently
/// would see other messages in the same bytes (request smuggling).
struct HeadScanner {
    /// Offset of the next byte to scan, relative to the head's start.
    private var scanned = 0
    /// Offset where the current line starts.
    private var lineStart = 0
    /// Offsets of the line ends found (index of the CR), in order.
    private(set) var lineEnds: [Int] = []

    /// The first-line limit and its status: 414 for a request line, 400 for a status line.
    let maxFirstLine: Int
    let firstLineStatus: HTTPStatus
    let maxHeadSize: Int

    init(maxFirstLine: Int, firstLineStatus: HTTPStatus, maxHeadSize: Int) {
        self.maxFirstLine = maxFirstLine
        self.firstLineStatus = firstLineStatus
        self.maxHeadSize = maxHeadSize
        lineEnds.reserveCapacity(16)
    }

    /// Scans `bytes`, which start at the head's first byte. Returns the head's
    /// length including the final empty line once it is complete, or nil when
    /// more bytes are needed.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int? {
        var index = scanned
        defer { scanned = index }
        while index < bytes.count {
            // Most of a head is field text: skip eight bytes at a time while
            // they contain neither CR nor LF.
            if index + 8 <= bytes.count, !Self.containsLineBreak(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
            } else {
                let byte = bytes[index]
                if byte == 0x0D {
                    guard index + 1 < bytes.count else { break }  // wait for the byte after CR
                    guard bytes[index + 1] == 0x0A else {
                        throw .badRequest("bare CR at offset \(index) of the message head; lines must end with CRLF")
                    }
                    if index == lineStart {
                        index += 2
                        return index
                    }
                    lineEnds.append(index)
                    index += 2
                    lineStart = index
                    continue
                }
                if byte == 0x0A {
                    throw .badRequest("bare LF at offset \(index) of the message head; lines must end with CRLF")
                }
                index += 1
            }
            try checkFirstLine(endingAt: index)
            if index > maxHeadSize {
                throw HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(maxHeadSize) bytes")
            }
        }
        try checkFirstLine(endingAt: index)
        return nil
    }

    /// Throws when the first line, still without its end, is longer than `maxFirstLine` at `index`.
    private func checkFirstLine(endingAt index: Int) throws(HTTPParseError) {
        if lineEnds.isEmpty && index - lineStart > maxFirstLine {
            throw HTTPParseError(firstLineStatus, "first line longer than \(maxFirstLine) bytes")
        }
    }

    /// Returns whether any byte of `word` is CR or LF.
    @inline(__always)
    private static func containsLineBreak(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let carriageReturns = word ^ (0x0D &* ones)
        let lineFeeds = word ^ (0x0A &* ones)
        // A zero byte in either sets its high bit here (the classic zero-byte test).
        return ((carriageReturns &- ones) & ~carriageReturns | (lineFeeds &- ones) & ~lineFeeds) & highBits != 0
    }

    mutating func reset() {
        scanned = 0
        lineStart = 0
        lineEnds.removeAll(keepingCapacity: true)
    }
}
