/// Character classes of RFC 9110 and RFC 9112, as 256-entry lookup tables.
enum ByteClass {
    /// tchar (RFC 9110, section 5.6.2): the characters of a method or field name.
    static let token: [Bool] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(UInt8(byte))
        }
    }

    /// Bytes allowed in a field value (RFC 9110, section 5.5): VCHAR, obs-text,
    /// SP and HTAB. NUL, CR, LF and other controls are rejected.
    static let fieldValue: [Bool] = (0...255).map { byte in
        byte == 0x09 || byte == 0x20 || (0x21...0x7E).contains(byte) || byte >= 0x80
    }

    /// Returns the offset of the first byte of `bytes` that `fieldValue`
    /// rejects, or nil when there is none.
    ///
    /// Eight bytes are tested at once for a byte below 0x20 or equal to
    /// 0x7F, the only bytes the table may reject, and only a word that has
    /// one, a horizontal tab for instance, is checked byte by byte.
    static func firstInvalidFieldValueByte(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let table = fieldValue
        var offset = 0
        while offset < bytes.count {
            if offset + 8 <= bytes.count {
                let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                // A byte's high bit is set in `control` when the byte is under
                // 0x20 and in `delete` when it is 0x7F. `~word` leaves out bytes from 0x80.
                let control = (word &- 0x20 &* ones) & ~word & highBits
                let flipped = word ^ (0x7F &* ones)
                let delete = (flipped &- ones) & ~flipped & highBits
                if control | delete == 0 {
                    offset += 8
                    continue
                }
            }
            for index in offset..<min(offset + 8, bytes.count) where !table[Int(bytes[index])] {
                return index
            }
            offset += 8
        }
        return nil
    }

    /// Returns whether `fieldValue` allows every byte of `value`.
    static func isValidFieldValue(_ value: String) -> Bool {
        if let result = value.utf8.withContiguousStorageIfAvailable({ firstInvalidFieldValueByte(UnsafeRawBufferPointer($0)) == nil }) {
            return result
        }
        let table = fieldValue
        return value.utf8.allSatisfy { table[Int($0)] }
    }

    /// Bytes allowed in a request target: visible ASCII only (RFC 3986 characters
    /// plus the few that clients send unescaped); no space, control or non-ASCII.
    static let target: [Bool] = (0...255).map { byte in
        (0x21...0x7E).contains(byte)
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
