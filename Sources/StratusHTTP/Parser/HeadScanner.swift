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
            if lineEnds.isEmpty && index - lineStart > maxFirstLine {
                throw HTTPParseError(firstLineStatus, "first line longer than \(maxFirstLine) bytes")
            }
            if index > maxHeadSize {
                throw HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(maxHeadSize) bytes")
            }
        }
        if lineEnds.isEmpty && index - lineStart > maxFirstLine {
            throw HTTPParseError(firstLineStatus, "first line longer than \(maxFirstLine) bytes")
        }
        return nil
    }

    mutating func reset() {
        scanned = 0
        lineStart = 0
        lineEnds.removeAll(keepingCapacity: true)
    }
}
