extension Redactor {
    /// Returns true when `name` equals a sensitive name, or ends with one
    /// right after a separator, ignoring ASCII case.
    func endsWithSensitiveName(_ name: some StringProtocol) -> Bool {
        let bytes = Substring(name).utf8
        return sensitiveNames.contains { sensitive in
            guard bytes.count >= sensitive.count else { return false }
            let suffixStart = bytes.index(bytes.endIndex, offsetBy: -sensitive.count)
            guard equalsIgnoringCase(bytes[suffixStart...], sensitive) else { return false }
            return suffixStart == bytes.startIndex || isSeparator(bytes[bytes.index(before: suffixStart)])
        }
    }

    /// Returns true when a word of `name` is a sensitive word, or that word
    /// plus `s`. The scan reads the UTF-8 bytes once and allocates nothing,
    /// because handlers call it for every metadata key of every event.
    func containsSensitiveWord(_ name: some StringProtocol) -> Bool {
        let bytes = Substring(name).utf8
        var start = bytes.startIndex
        var previous: UInt8 = 0
        var index = start
        while index != bytes.endIndex {
            let byte = bytes[index]
            let next = bytes.index(after: index)
            if isSeparator(byte) {
                if matches(bytes[start..<index]) { return true }
                start = next
            } else if start != index && isWordBoundary(previous: previous, current: byte, next: next, in: bytes) {
                if matches(bytes[start..<index]) { return true }
                start = index
            }
            previous = byte
            index = next
        }
        return matches(bytes[start..<index])
    }

    /// Returns true before an uppercase letter that follows a lowercase
    /// letter or digit (`api|Key`), or that ends a run of capitals and starts
    /// a lowercase word (`API|Key`).
    private func isWordBoundary(
        previous: UInt8,
        current: UInt8,
        next: Substring.UTF8View.Index,
        in bytes: Substring.UTF8View
    ) -> Bool {
        guard isUppercase(current) else { return false }
        if isLowercase(previous) || isDigit(previous) { return true }
        guard isUppercase(previous), next != bytes.endIndex else { return false }
        return isLowercase(bytes[next])
    }

    private func matches(_ word: Substring.UTF8View.SubSequence) -> Bool {
        sensitiveWords.contains { sensitive in
            if equalsIgnoringCase(word, sensitive) { return true }
            guard word.count == sensitive.count + 1, asciiLower(word.last!) == UInt8(ascii: "s") else { return false }
            return equalsIgnoringCase(word.dropLast(), sensitive)
        }
    }
}

private func equalsIgnoringCase(_ word: some Collection<UInt8>, _ lowercase: [UInt8]) -> Bool {
    word.count == lowercase.count && zip(word, lowercase).allSatisfy { asciiLower($0) == $1 }
}

private func isSeparator(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: " ")
}

private func isUppercase(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
private func isLowercase(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
private func asciiLower(_ byte: UInt8) -> UInt8 { isUppercase(byte) ? byte | 0x20 : byte }
