extension HTTPTracingSemantics {
    /// Splits `host`, `host:port` or `[v6]:port` (a `Host` field or a URL
    /// authority) into the host without brackets and the port, if any.
    static func splitHostPort(_ authority: Substring) -> (host: Substring, port: Int?) {
        var authority = authority
        let (host, port) = authority.withUTF8 { hostAndPort(in: $0) }
        let utf8 = authority.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: host.lowerBound)
        let end = utf8.index(start, offsetBy: host.count)
        return (authority[start..<end], port)
    }

    /// Splits a whole authority as the `Substring` form does, and returns
    /// the host as a string: `authority` itself when it has neither port nor
    /// brackets, so that the common case copies nothing.
    static func splitHostPort(_ authority: String) -> (host: String, port: Int?) {
        var authority = authority
        let (range, port) = authority.withUTF8 { hostAndPort(in: $0) }
        guard range.count != authority.utf8.count else { return (authority, port) }
        let host = authority.withUTF8 { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        return (host, port)
    }

    /// Returns the byte range of the host and the port in the UTF-8 bytes of
    /// an authority. It scans bytes because this runs twice for every traced
    /// request, and string index arithmetic costs more.
    private static func hostAndPort(in bytes: UnsafeBufferPointer<UInt8>) -> (host: Range<Int>, port: Int?) {
        let colon = UInt8(ascii: ":")
        if bytes.first == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")) {
            let afterClose = close + 1
            guard afterClose < bytes.count, bytes[afterClose] == colon else { return (1..<close, nil) }
            return (1..<close, parsePort(UnsafeBufferPointer(rebasing: bytes[(afterClose + 1)...])))
        }
        guard let last = bytes.lastIndex(of: colon), bytes.firstIndex(of: colon) == last else {
            return (0..<bytes.count, nil)
        }
        return (0..<last, parsePort(UnsafeBufferPointer(rebasing: bytes[(last + 1)...])))
    }

    /// Parses the port as `Int(_:)` does, with a fast path for plain digits
    /// that skips its generic text parsing.
    private static func parsePort(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !digits.isEmpty else { return nil }
        guard digits.count <= 18 else { return Int(String(decoding: digits, as: UTF8.self)) }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                return Int(String(decoding: digits, as: UTF8.self))
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
