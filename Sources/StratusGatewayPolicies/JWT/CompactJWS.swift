/// A token in JWS compact serialization (RFC 7515, section 7.1):
/// `base64url(header) . base64url(payload) . base64url(signature)`.
struct CompactJWS {
    let header: [String: JSONValue]
    let payload: [UInt8]
    let signature: [UInt8]
    /// The ASCII bytes the signature covers: the first two parts and the dot.
    let signingInput: [UInt8]

    /// Splits and decodes `token`. Rejects any character outside base64url
    /// and `.`, a count of parts other than three (five would be JWE), and
    /// a header that is not a strict JSON object.
    init(_ token: String) throws(JWTRejection) {
        let bytes = Array(token.utf8)
        guard bytes.allSatisfy(Self.isTokenCharacter) else { throw .malformed }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else { throw .malformed }
        let text = { (part: ArraySlice<UInt8>) in String(decoding: part, as: UTF8.self) }
        guard let headerBytes = Base64.decode(text(parts[0]), alphabet: .url),
            let payload = Base64.decode(text(parts[1]), alphabet: .url),
            let signature = Base64.decode(text(parts[2]), alphabet: .url)
        else { throw .malformed }
        guard let header = try? StrictJSONParser.parse(headerBytes).objectValue else { throw .malformedHeader }
        self.header = header
        self.payload = payload
        self.signature = signature
        signingInput = Array(bytes[..<parts[1].endIndex])
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}
