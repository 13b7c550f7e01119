import Foundation

/// The NATS header block: `NATS/1.0[ status[ description]]`, then
/// `Name: value` lines, then an empty line, all ending in CRLF.
enum NATSHeaders {
    static func parse(_ bytes: ArraySlice<UInt8>, into message: inout NATSMessage) throws(NATSParser.ParseError) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.components(separatedByCRLF: ())
        guard let statusLine = lines.first, statusLine.hasPrefix("NATS/1.0") else {
            throw .invalid("header block without NATS/1.0: \(text.prefix(40))")
        }
        lines.removeFirst()
        let status = statusLine.dropFirst("NATS/1.0".count).split(separator: " ", maxSplits: 1)
        if let code = status.first.flatMap({ Int($0) }) {
            message.status = code
            message.statusDescription = status.count > 1 ? String(status[1]) : ""
        }
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            message.headers[String(line[..<colon])] = String(value)
        }
    }

    /// Encodes headers as a block, or nil when there are none.
    static func encode(_ headers: [String: String]) -> [UInt8]? {
        guard !headers.isEmpty else { return nil }
        var text = "NATS/1.0\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            text += "\(name): \(value)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }
}

extension String {
    fileprivate func components(separatedByCRLF: ()) -> [String] {
        var lines: [String] = []
        var current = Substring(self)
        while let range = current.range(of: "\r\n") {
            lines.append(String(current[..<range.lowerBound]))
            current = current[range.upperBound...]
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }
}
