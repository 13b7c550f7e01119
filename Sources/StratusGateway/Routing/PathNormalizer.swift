/// Reads a request path the way an upstream server will, before routing,
/// so that a route's policies cannot be bypassed by spelling its path
/// differently. The gateway routes on the normalized path and sends that
/// same path upstream.
///
/// In order, on the path without its query:
/// 1. A backslash, raw or as `%5C`, is rejected: some servers read it as `/`.
/// 2. Each `%XX` escape must be two hex digits (400 otherwise). An escaped
///    unreserved character (`A-Z a-z 0-9 - . _ ~`) is decoded, and other
///    escapes get upper-case hex (RFC 3986, sections 6.2.2.1 and 6.2.2.2).
/// 3. `%2F` is rejected or, with `encodedSlashes: keep`, kept inside its
///    segment as an opaque byte that never separates segments. `%3B` is
///    rejected: servers disagree on whether it starts a path parameter.
/// 4. A segment that was `.` or `..` only after decoding (`%2e%2e`) is
///    rejected: an upstream that decodes it again would climb a level the
///    gateway did not see.
/// 5. `;` parameters (`/admin;x=1/y`) are removed from each segment, as
///    Java servlet containers do before matching.
/// 6. Empty segments (`//`) are merged into one `/`.
/// 7. `.` and `..` segments are removed (RFC 3986, section 5.2.4); `..`
///    at the root stays at the root.
///
/// The query is not changed.
struct PathNormalizer: Sendable {
    var keepEncodedSlashes = false

    enum Failure: Error, Equatable, CustomStringConvertible {
        case notOriginForm
        case backslash
        case malformedEscape
        case encodedSlash
        case encodedDotSegment
        case encodedSemicolon

        var description: String {
            switch self {
            case .notOriginForm: "the request target must be a path starting with /"
            case .backslash: "the path contains a backslash"
            case .malformedEscape: "the path contains a % not followed by two hex digits"
            case .encodedSlash: "the path contains an encoded slash (%2F)"
            case .encodedDotSegment: "the path contains an encoded dot segment (%2E)"
            case .encodedSemicolon: "the path contains an encoded semicolon (%3B)"
            }
        }
    }

    /// Returns the normalized path, which starts with `/`.
    func normalize(_ path: Substring) throws(Failure) -> String {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { throw .notOriginForm }
        // Fast path: nothing to decode, no dot, parameter or empty segment.
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "\\") }),
           !containsEmptySegment(bytes) {
            return String(path)
        }
        var segments: [[UInt8]] = []
        var start = bytes.index(after: bytes.startIndex)
        while true {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.endIndex
            try appendSegment(bytes[start..<end], to: &segments, isLast: end == bytes.endIndex)
            guard end != bytes.endIndex else { break }
            start = bytes.index(after: end)
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        for segment in segments {
            result.append(UInt8(ascii: "/"))
            result.append(contentsOf: segment)
        }
        if result.isEmpty {
            result = [UInt8(ascii: "/")]
        }
        return String(decoding: result, as: UTF8.self)
    }

    private func containsEmptySegment(_ bytes: Substring.UTF8View) -> Bool {
        var previousSlash = false
        for byte in bytes {
            let slash = byte == UInt8(ascii: "/")
            if slash && previousSlash { return true }
            previousSlash = slash
        }
        return false
    }

    /// Decodes one raw segment and applies it to the output segments. A
    /// trailing empty segment (`/users/`) is kept so that `/users/` and
    /// `/users` stay distinct; other empty segments are dropped.
    private func appendSegment(_ raw: Substring.UTF8View.SubSequence, to segments: inout [[UInt8]], isLast: Bool) throws(Failure) {
        let (decoded, sawEncodedDot) = try decode(raw)
        let isDot = decoded == [UInt8(ascii: ".")]
        let isDotDot = decoded == [UInt8(ascii: "."), UInt8(ascii: ".")]
        if (isDot || isDotDot) && sawEncodedDot {
            throw .encodedDotSegment
        }

        if isDot || isDotDot {
            if isDotDot && !segments.isEmpty { segments.removeLast() }
            if isLast { segments.append([]) }
            return
        }
        if decoded.isEmpty && (!isLast || (segments.isEmpty && raw.isEmpty)) {
            return
        }
        segments.append(decoded)
    }

    /// Decodes a raw segment up to its `;` parameters; also returns whether
    /// an escaped dot was decoded.
    private func decode(_ raw: Substring.UTF8View.SubSequence) throws(Failure) -> ([UInt8], sawEncodedDot: Bool) {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var sawEncodedDot = false
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == UInt8(ascii: "\\") {
                throw .backslash
            }
            if byte == UInt8(ascii: ";") {
                break
            }
            guard byte == UInt8(ascii: "%") else {
                decoded.append(byte)
                index = raw.index(after: index)
                continue
            }
            let high = raw.index(after: index)
            guard high < raw.endIndex, raw.index(after: high) < raw.endIndex,
                  let value = Self.hex(raw[high], raw[raw.index(after: high)]) else {
                throw .malformedEscape
            }
            try appendEscape(value, to: &decoded, sawEncodedDot: &sawEncodedDot)
            index = raw.index(index, offsetBy: 3)
        }
        return (decoded, sawEncodedDot)
    }

    private func appendEscape(_ value: UInt8, to decoded: inout [UInt8], sawEncodedDot: inout Bool) throws(Failure) {
        if value == UInt8(ascii: "/") && !keepEncodedSlashes {
            throw .encodedSlash
        }
        if value == UInt8(ascii: "\\") {
            throw .backslash
        }
        if value == UInt8(ascii: ";") {
            throw .encodedSemicolon
        }
        if Self.isUnreserved(value) {
            if value == UInt8(ascii: ".") { sawEncodedDot = true }
            decoded.append(value)
            return
        }
        decoded.append(UInt8(ascii: "%"))
        decoded.append(Self.upperHex[Int(value >> 4)])
        decoded.append(Self.upperHex[Int(value & 0x0F)])
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)

    /// unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986, section 2.3).
    static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
    }

    private static func hex(_ high: UInt8, _ low: UInt8) -> UInt8? {
        guard let high = digit(high), let low = digit(low) else { return nil }
        return high << 4 | low
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
