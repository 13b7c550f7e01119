extension Redactor {
    /// Returns true when `name` equals a sensitive name or contains a
    /// sensitive word, before `allowedNames` is consulted.
    ///
    /// The scans read the UTF-8 bytes in place and allocate nothing, because
    /// handlers call this for every metadata key of every event.
    func matchesSensitivePattern(_ name: some StringProtocol) -> Bool {
        let scan = { (bytes: UnsafeBufferPointer<UInt8>) in
            endsWithSensitiveName(bytes) || containsSensitiveWord(bytes)
        }
        if let result = name.utf8.withContiguousStorageIfAvailable(scan) {
            return result
        }
        var copy = String(name)
        return copy.withUTF8(scan)
    }

    /// Returns true when `bytes` equal a sensitive name, or end with one
    /// right after a separator, ignoring ASCII case.
    private func endsWithSensitiveName(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        sensitiveNames.contains { sensitive in
            guard bytes.count >= sensitive.count else { return false }
            let suffixStart = bytes.count - sensitive.count
            guard equalsIgnoringCase(bytes, from: suffixStart, to: bytes.count, sensitive) else { return false }
            return suffixStart == 0 || isSeparator(bytes[suffixStart - 1])
        }
    }

    /// Returns true when a word of `bytes` is a sensitive word, or that word
    /// plus `s`.
    private func containsSensitiveWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        var previous: UInt8 = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if isSeparator(byte) {
                if matches(bytes, from: start, to: index) { return true }
                start = index + 1
            } else if start != index && isWordBoundary(previous: previous, current: byte, next: index + 1, in: bytes) {
                if matches(bytes, from: start, to: index) { return true }
                start = index
            }
            previous = byte
        }
        return matches(bytes, from: start, to: bytes.count)
    }

    /// Returns true before an uppercase letter that follows a lowercase
    /// letter or digit (`api|Key`), or that ends a run of capitals and starts
    /// a lowercase word (`API|Key`).
    private func isWordBoundary(previous: UInt8, current: UInt8, next: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard isUppercase(current) else { return false }
        if isLowercase(previous) || isDigit(previous) { return true }
        guard isUppercase(previous), next < bytes.count else { return false }
        return isLowercase(bytes[next])
    }

    /// Returns true when `bytes[start..<end]` is a sensitive word, or that
    /// word plus `s`.
    private func matches(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        let length = end - start
        return sensitiveWords.contains { sensitive in
            if length == sensitive.count {
                return equalsIgnoringCase(bytes, from: start, to: end, sensitive)
            }
            guard length == sensitive.count + 1, asciiLower(bytes[end - 1]) == UInt8(ascii: "s") else { return false }
            return equalsIgnoringCase(bytes, from: start, to: end - 1, sensitive)
        }
    }
}

/// Returns true when `bytes[start..<end]` equal `lowercase`, ignoring ASCII case.
private func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, _ lowercase: [UInt8]) -> Bool {
    guard end - start == lowercase.count else { return false }
    for offset in 0..<lowercase.count where asciiLower(bytes[start + offset]) != lowercase[offset] {
        return false
    }
    return true
}

private func isSeparator(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: " ")
}

private func isUppercase(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
private func isLowercase(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
private func asciiLower(_ byte: UInt8) -> UInt8 { isUppercase(byte) ? byte | 0x20 : byte }
