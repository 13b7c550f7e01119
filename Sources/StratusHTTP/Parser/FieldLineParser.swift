/// Parses header and trailer field lines (RFC 9112, section 5).
enum FieldLineParser {
    /// Parses field lines `firstFieldLine` onwards into fields.
    ///
    /// - Parameters:
    ///   - head: the whole head, or a trailer section.
    ///   - lineEnds: the offset of each line's CR in `head`.
    ///   - firstFieldLine: the index of the first field line, 1 after a start
    ///     line and 0 for a trailer section.
    static func parseFields(
        _ head: UnsafeRawBufferPointer,
        lineEnds: [Int],
        firstFieldLine: Int,
        maxCount: Int
    ) throws(HTTPParseError) -> HTTPFields {
        var fields: [HTTPField] = []
        fields.reserveCapacity(lineEnds.count - firstFieldLine)
        var start = firstFieldLine == 0 ? 0 : lineEnds[firstFieldLine - 1] + 2
        for lineIndex in firstFieldLine..<lineEnds.count {
            let end = lineEnds[lineIndex]
            fields.append(try parseLine(UnsafeRawBufferPointer(rebasing: head[start..<end])))
            start = end + 2
        }
        if fields.count > maxCount {
            throw HTTPParseError(.requestHeaderFieldsTooLarge, "\(fields.count) header fields, more than the limit of \(maxCount)")
        }
        return HTTPFields(fields)
    }

    static func parseLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPField {
        guard let first = line.first else {
            throw .badRequest("empty field line")
        }
        if first == 0x20 || first == 0x09 {
            // obs-fold: RFC 9112, section 5.2 lets a server reject it with 400.
            throw .badRequest("obsolete line folding in field line \(describeBytes(line))")
        }
        // The table is read once per line, not once per byte.
        let token = ByteClass.token
        var colon = 0
        while colon < line.count && line[colon] != UInt8(ascii: ":") {
            let byte = line[colon]
            guard token[Int(byte)] else {
                if byte == 0x20 || byte == 0x09 {
                    // RFC 9112, section 5.1: no whitespace between name and colon.
                    throw .badRequest("whitespace in field name \(describeBytes(line[0..<colon]))")
                }
                throw .badRequest("invalid character \(describeByte(byte)) in field name \(describeBytes(line[0..<colon]))")
            }
            colon += 1
        }
        guard colon < line.count else {
            throw .badRequest("field line \(describeBytes(line)) has no colon")
        }
        guard colon > 0 else {
            throw .badRequest("field line \(describeBytes(line)) has an empty name")
        }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<colon]), as: UTF8.self)
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd && (line[valueStart] == 0x20 || line[valueStart] == 0x09) {
            valueStart += 1
        }
        while valueEnd > valueStart && (line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09) {
            valueEnd -= 1
        }
        if let offset = ByteClass.firstInvalidFieldValueByte(UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])) {
            throw .badRequest("invalid character \(describeByte(line[valueStart + offset])) in the value of field \"\(name)\"")
        }
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)
        return HTTPField(name: name, value: value)
    }
}
