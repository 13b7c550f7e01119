/// Decodes a message body framed by Content-Length, chunked coding (RFC 9112,
/// section 7.1) or the end of the connection. A value-type state machine:
/// bytes in, body chunks and the end out.
struct BodyDecoder {
    enum State: Hashable {
        case fixed(remaining: Int64)
        case chunkSize(accumulated: UInt64, digits: Int, inExtension: Bool)
        case chunkData(remaining: UInt64)
        case chunkDataEnd
        case trailers
        case untilClose
        case done
    }

    enum Output {
        /// Body bytes: a range of the input.
        case data(Range<Int>)
        case end
        /// Nothing more can be decoded from the input yet.
        case needMore
    }

    private(set) var state: State
    private let maxBodySize: Int64
    private let maxChunkLine: Int
    private let maxTrailerSize: Int
    private var received: Int64 = 0
    private var lineLength = 0
    private var trailerScanner: HeadScanner?

    init(framing: BodyFraming, limits: HTTPLimits) {
        switch framing {
        case .none: state = .done
        case .contentLength(let length): state = length == 0 ? .done : .fixed(remaining: length)
        case .chunked: state = .chunkSize(accumulated: 0, digits: 0, inExtension: false)
        case .untilClose: state = .untilClose
        }
        maxBodySize = limits.maxBodySize
        maxChunkLine = limits.maxChunkLineLength
        maxTrailerSize = limits.maxHeaderSize
    }

    var isDone: Bool { state == .done }

    /// Decodes from `bytes[offset...]`; returns the output and how many bytes it consumed.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, from offset: Int) throws(HTTPParseError) -> (Output, consumed: Int) {
        var index = offset
        while true {
            switch state {
            case .done:
                return (.end, index - offset)
            case .fixed(let remaining):
                guard index < bytes.count else { return (.needMore, index - offset) }
                let take = Int(min(Int64(bytes.count - index), remaining))
                state = remaining == Int64(take) ? .done : .fixed(remaining: remaining - Int64(take))
                return (.data(index..<index + take), index + take - offset)
            case .untilClose:
                guard index < bytes.count else { return (.needMore, index - offset) }
                try count(bytes.count - index)
                return (.data(index..<bytes.count), bytes.count - offset)
            case .chunkData(let remaining):
                guard index < bytes.count else { return (.needMore, index - offset) }
                let take = Int(min(UInt64(bytes.count - index), remaining))
                try count(take)
                state = remaining == UInt64(take) ? .chunkDataEnd : .chunkData(remaining: remaining - UInt64(take))
                return (.data(index..<index + take), index + take - offset)
            case .chunkDataEnd:
                guard index + 1 < bytes.count else { return (.needMore, index - offset) }
                guard bytes[index] == 0x0D, bytes[index + 1] == 0x0A else {
                    throw .badRequest("chunk data not followed by CRLF (found \(describeByte(bytes[index])))")
                }
                index += 2
                state = .chunkSize(accumulated: 0, digits: 0, inExtension: false)
                lineLength = 0
            case .chunkSize(let accumulated, let digits, let inExtension):
                guard index < bytes.count else { return (.needMore, index - offset) }
                let consumedLine = try decodeChunkSize(bytes, at: &index, accumulated: accumulated, digits: digits, inExtension: inExtension)
                if !consumedLine { return (.needMore, index - offset) }
            case .trailers:
                guard index < bytes.count else { return (.needMore, index - offset) }
                guard try skipTrailers(bytes, at: &index) else { return (.needMore, index - offset) }
                state = .done
            }
        }
    }

    private mutating func count(_ length: Int) throws(HTTPParseError) {
        received += Int64(length)
        if received > maxBodySize {
            throw HTTPParseError(.contentTooLarge, "body larger than the limit of \(maxBodySize) bytes")
        }
    }

    /// Reads the chunk-size line byte by byte; returns true once the line is
    /// complete and the state has moved on.
    private mutating func decodeChunkSize(
        _ bytes: UnsafeRawBufferPointer,
        at index: inout Int,
        accumulated: UInt64,
        digits: Int,
        inExtension: Bool
    ) throws(HTTPParseError) -> Bool {
        var size = accumulated
        var digits = digits
        var inExtension = inExtension
        defer {
            if case .chunkSize = state {
                state = .chunkSize(accumulated: size, digits: digits, inExtension: inExtension)
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            lineLength += 1
            if lineLength > maxChunkLine {
                throw .badRequest("chunk-size line longer than \(maxChunkLine) bytes")
            }
            if byte == 0x0D {
                guard index + 1 < bytes.count else {
                    lineLength -= 1
                    return false
                }
                guard bytes[index + 1] == 0x0A else {
                    throw .badRequest("bare CR in a chunk-size line")
                }
                guard digits > 0 else {
                    throw .badRequest("chunk-size line has no size")
                }
                index += 2
                lineLength = 0
                if size == 0 {
                    state = .trailers
                    trailerScanner = HeadScanner(maxFirstLine: maxTrailerSize, firstLineStatus: .requestHeaderFieldsTooLarge, maxHeadSize: maxTrailerSize)
                } else {
                    // Reject at the size line, not partway through the data, so
                    // the body bytes delivered before the 413 do not depend on
                    // how the input was split.
                    if size > UInt64(maxBodySize - received) {
                        throw HTTPParseError(.contentTooLarge, "body larger than the limit of \(maxBodySize) bytes")
                    }
                    state = .chunkData(remaining: size)
                }
                return true
            }
            if byte == 0x0A {
                throw .badRequest("bare LF in a chunk-size line")
            }
            index += 1
            if inExtension {
                // chunk-ext (RFC 9112, section 7.1.1): ignored, but no controls.
                guard byte == 0x09 || byte >= 0x20 && byte != 0x7F else {
                    throw .badRequest("invalid character \(describeByte(byte)) in a chunk extension")
                }
                continue
            }
            if byte == UInt8(ascii: ";") && digits > 0 {
                inExtension = true
                continue
            }
            if (byte == 0x20 || byte == 0x09) && digits > 0 {
                // BWS before a chunk extension; only an extension may follow.
                inExtension = true
                continue
            }
            guard let value = ByteClass.hexValue(byte) else {
                throw .badRequest("invalid character \(describeByte(byte)) in chunk size")
            }
            digits += 1
            guard size <= (UInt64(Int64.max) >> 4) else {
                throw .badRequest("chunk size overflows 63 bits")
            }
            size = size << 4 | UInt64(value)
        }
        return false
    }

    /// Skips the trailer section up to its final empty line; returns true when it ended.
    private mutating func skipTrailers(_ bytes: UnsafeRawBufferPointer, at index: inout Int) throws(HTTPParseError) -> Bool {
        // The scanner works on the section from its start, so scan the whole rest
        // of the input each time; trailers are rare and small.
        let rest = UnsafeRawBufferPointer(rebasing: bytes[index...])
        var scanner = trailerScanner!
        defer { trailerScanner = scanner }
        guard let length = try scanner.scan(rest) else {
            return false
        }
        _ = try FieldLineParser.parseFields(rest, lineEnds: scanner.lineEnds, firstFieldLine: 0, maxCount: 1000)
        index += length
        return true
    }
}
