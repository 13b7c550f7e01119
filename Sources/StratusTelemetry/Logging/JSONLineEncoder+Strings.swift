extension JSONLineEncoder {
    /// Appends `text` as a quoted, escaped JSON string. Runs of bytes that
    /// need no escape, usually the whole text, are copied in one step.
    mutating func appendString(_ text: String) {
        append(UInt8(ascii: "\""))
        // Native strings are contiguous UTF-8, so this borrows the bytes
        // without copying the string.
        let appended: Void? = text.utf8.withContiguousStorageIfAvailable { appendEscapedRuns($0) }
        if appended == nil {
            var copy = text
            copy.withUTF8 { appendEscapedRuns($0) }
        }
        append(UInt8(ascii: "\""))
    }

    private mutating func appendEscapedRuns(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var index = JSONEscapeScan.firstIndex(in: utf8, from: 0)
        while index < utf8.count {
            append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            appendEscaped(utf8[index])
            runStart = index + 1
            index = JSONEscapeScan.firstIndex(in: utf8, from: runStart)
        }
        append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        append(0x5C)
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(byte)
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0D: append(UInt8(ascii: "r"))
        case 0x09: append(UInt8(ascii: "t"))
        case 0x08: append(UInt8(ascii: "b"))
        case 0x0C: append(UInt8(ascii: "f"))
        default:
            append(UInt8(ascii: "u"))
            append(UInt8(ascii: "0"))
            append(UInt8(ascii: "0"))
            append(lowercaseHexDigit(byte >> 4))
            append(lowercaseHexDigit(byte & 0x0F))
        }
    }
}

/// Finds the bytes a JSON string must escape (RFC 8259, section 7): control
/// characters below U+0020, `"` and `\`.
enum JSONEscapeScan {
    /// Returns the index of the first byte at or after `start` that must be
    /// escaped, or `bytes.count` when there is none.
    ///
    /// It tests eight bytes at a time and looks at single bytes only in a
    /// group that contains one, because most log text needs no escape.
    static func firstIndex(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            if index + 8 <= bytes.count, let base = bytes.baseAddress {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if !mayContainEscape(word) {
                    index += 8
                    continue
                }
            }
            if needsEscape(bytes[index]) {
                return index
            }
            index += 1
        }
        return bytes.count
    }

    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Returns whether one of the eight bytes of `word` must be escaped.
    ///
    /// `(x - n * ones) & ~x & highBits` is nonzero exactly when some byte of
    /// `x` is below `n`, for `n` up to 128. A byte from `n` up subtracts
    /// without a borrow, and its result has the high bit set only when the
    /// byte had it too. The lowest byte below `n` borrows, so its result has
    /// the high bit set while the byte had it clear. A byte equal to `c` is
    /// a byte below 1 of `word ^ (c * ones)`.
    static func mayContainEscape(_ word: UInt64) -> Bool {
        let control = (word &- 0x20 &* ones) & ~word
        let quote = word ^ (UInt64(UInt8(ascii: "\"")) &* ones)
        let backslash = word ^ (UInt64(UInt8(ascii: "\\")) &* ones)
        let quoteOrBackslash = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
        return (control | quoteOrBackslash) & highBits != 0
    }
}
