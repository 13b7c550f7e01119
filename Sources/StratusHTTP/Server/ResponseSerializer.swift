/// Writes response heads and chunked framing as bytes.
enum ResponseSerializer {
    /// Serializes a status line and fields, adding `Date`, the framing field
    /// and, with `close`, `Connection: close`. `extra` follows the head, so a
    /// small body leaves in the same write.
    static func head(
        _ status: HTTPStatus,
        headers: HTTPFields,
        framing: BodyFraming,
        date: [UInt8],
        close: Bool,
        appending extra: [UInt8] = []
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + headers.count * 32 + extra.count)
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status.code, to: &bytes)
        bytes.append(0x20)
        bytes.appendUTF8(status.reasonPhrase)
        bytes.append(contentsOf: "\r\nDate: ".utf8)
        bytes.append(contentsOf: date)
        bytes.append(contentsOf: "\r\n".utf8)
        for field in headers {
            bytes.appendField(field.name, field.value)
        }
        switch framing {
        case .contentLength(let length):
            bytes.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(Int(length), to: &bytes)
            bytes.append(contentsOf: "\r\n".utf8)
        case .chunked:
            bytes.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        case .none, .untilClose:
            break
        }
        if close {
            bytes.append(contentsOf: "Connection: close\r\n".utf8)
        }
        bytes.append(contentsOf: "\r\n".utf8)
        bytes.append(contentsOf: extra)
        return bytes
    }

    /// Frames one chunk of a chunked body: size in hex, CRLF, data, CRLF.
    static func chunk(_ data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + 20)
        bytes.append(contentsOf: String(data.count, radix: 16).utf8)
        bytes.append(contentsOf: "\r\n".utf8)
        bytes.append(contentsOf: data)
        bytes.append(contentsOf: "\r\n".utf8)
        return bytes
    }

    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Whether a field can be written as is: a token name and a value with no
    /// CR, LF or NUL, so a handler cannot split the response.
    static func isValid(_ field: HTTPField) -> Bool {
        // The table is read once, not once per byte: each read of a
        // static checks that it is initialized.
        let token = ByteClass.token
        return !field.name.isEmpty
            && field.name.utf8.allSatisfy { token[Int($0)] }
            && ByteClass.isValidFieldValue(field.value)
    }

    /// Checks whether the server sets this field itself (framing, `Connection`,
    /// `Date`), so a handler's value is dropped.
    static func isManagedByServer(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: name.equalsIgnoringASCIICase("Date")
        case 10: name.equalsIgnoringASCIICase("Connection")
        case 14: name.equalsIgnoringASCIICase("Content-Length")
        case 17: name.equalsIgnoringASCIICase("Transfer-Encoding")
        default: false
        }
    }

    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        bytes.append(contentsOf: String(value).utf8)
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of `text`, in one copy when the string keeps
    /// them contiguous, as native strings do, instead of through an iterator.
    @inline(__always)
    mutating func appendUTF8(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append(contentsOf: $0) }
        if copied == nil {
            append(contentsOf: text.utf8)
        }
    }

    /// Appends one field line: `name: value` and CRLF.
    @inline(__always)
    mutating func appendField(_ name: String, _ value: String) {
        appendUTF8(name)
        append(UInt8(ascii: ":"))
        append(UInt8(ascii: " "))
        appendUTF8(value)
        append(UInt8(ascii: "\r"))
        append(UInt8(ascii: "\n"))
    }
}
