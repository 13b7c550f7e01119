/// Splits the bytes a NATS server sends into operations (NATS client
/// protocol: INFO, MSG, HMSG, PING, PONG, +OK, -ERR). A value type: feed it
/// bytes in any chunking, and it returns the operations completed so far.
struct NATSParser {
    /// The longest control line accepted; the server's INFO is well below it.
    static let maxControlLine = 64 * 1024

    private var buffer: [UInt8] = []
    private var offset = 0
    /// The control line of a MSG or HMSG waiting for its payload.
    private var pending: (message: NATSMessage, headerBytes: Int, totalBytes: Int)?

    enum ParseError: Error, CustomStringConvertible {
        case invalid(String)

        var description: String {
            switch self {
            case .invalid(let detail): "invalid NATS protocol data: \(detail)"
            }
        }
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(ParseError) -> [NATSServerOperation] {
        buffer.append(contentsOf: bytes)
        var operations: [NATSServerOperation] = []
        while let operation = try next() {
            operations.append(operation)
        }
        if offset > 0 && offset * 2 >= buffer.count {
            buffer.removeFirst(offset)
            offset = 0
        }
        return operations
    }

    private mutating func next() throws(ParseError) -> NATSServerOperation? {
        if let waiting = pending {
            return try payload(for: waiting)
        }
        guard let lineEnd = findLineEnd() else {
            if buffer.count - offset > Self.maxControlLine {
                throw .invalid("control line longer than \(Self.maxControlLine) bytes")
            }
            return nil
        }
        let line = String(decoding: buffer[offset..<lineEnd], as: UTF8.self)
        offset = lineEnd + 2
        return try control(line)
    }

    private func findLineEnd() -> Int? {
        var index = offset
        while index + 1 < buffer.count {
            if buffer[index] == 13 && buffer[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }

    private mutating func control(_ line: String) throws(ParseError) -> NATSServerOperation? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let verb = parts.first?.uppercased() else { return nil }
        switch verb {
        case "PING": return .ping
        case "PONG": return .pong
        case "+OK": return .ok
        case "-ERR": return .error(String(line.dropFirst(4)).trimmingCharacters(in: " '"))
        case "INFO": return .info(String(line.dropFirst(4)).trimmingCharacters(in: " "))
        case "MSG": return try startMessage(parts.dropFirst().map(String.init), withHeaders: false)
        case "HMSG": return try startMessage(parts.dropFirst().map(String.init), withHeaders: true)
        default: throw .invalid("unknown operation \(line.prefix(40))")
        }
    }

    /// Reads `subject sid [reply] [header-bytes] total-bytes` and waits for the payload.
    private mutating func startMessage(_ fields: [String], withHeaders: Bool) throws(ParseError) -> NATSServerOperation? {
        let counts = withHeaders ? 2 : 1
        guard fields.count == 2 + counts || fields.count == 3 + counts,
              let total = Int(fields[fields.count - 1]), total >= 0
        else {
            throw .invalid("malformed \(withHeaders ? "HMSG" : "MSG") arguments \(fields)")
        }
        let headerBytes = withHeaders ? Int(fields[fields.count - 2]) ?? -1 : 0
        guard headerBytes >= 0, headerBytes <= total else {
            throw .invalid("header size \(fields[fields.count - 2]) larger than the message size \(total)")
        }
        let reply = fields.count == 3 + counts ? fields[2] : nil
        let message = NATSMessage(subject: fields[0], sid: fields[1], replyTo: reply, payload: [])
        pending = (message, headerBytes, total)
        return try payload(for: pending!)
    }

    private mutating func payload(for waiting: (message: NATSMessage, headerBytes: Int, totalBytes: Int)) throws(ParseError) -> NATSServerOperation? {
        guard buffer.count - offset >= waiting.totalBytes + 2 else { return nil }
        var message = waiting.message
        let headerEnd = offset + waiting.headerBytes
        if waiting.headerBytes > 0 {
            try NATSHeaders.parse(buffer[offset..<headerEnd], into: &message)
        }
        message.payload = Array(buffer[headerEnd..<(offset + waiting.totalBytes)])
        offset += waiting.totalBytes + 2
        pending = nil
        return .message(message)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
