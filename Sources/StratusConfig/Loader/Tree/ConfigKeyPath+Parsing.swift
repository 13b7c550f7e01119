extension ConfigKeyPath {
    /// Parses a dotted key path such as `server.port` or `peers[2].host`.
    ///
    /// Keys are separated by `.` and may contain any character except `.`,
    /// `[`, `]` and `=`. An index is a decimal number in brackets after a
    /// key. The result has at least one component.
    /// - Throws: `KeyPathSyntaxError` naming what is wrong.
    init(parsing text: String) throws(KeyPathSyntaxError) {
        guard !text.isEmpty else {
            throw KeyPathSyntaxError(reason: "the key path is empty")
        }
        var components: [Component] = []
        for segment in text.split(separator: ".", omittingEmptySubsequences: false) {
            components += try Self.parseSegment(segment)
        }
        self.init(components: components)
    }

    /// Parses `key` or `key[1][2]`.
    private static func parseSegment(_ segment: Substring) throws(KeyPathSyntaxError) -> [Component] {
        let key = segment.prefix { $0 != "[" && $0 != "]" }
        guard !key.isEmpty else {
            throw KeyPathSyntaxError(reason: "a key is empty; write keys separated by single dots, such as server.port")
        }
        guard !key.contains("=") else {
            throw KeyPathSyntaxError(reason: "the key \"\(key)\" contains \"=\"")
        }
        var components: [Component] = [.key(String(key))]
        var rest = segment.dropFirst(key.count)
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                throw KeyPathSyntaxError(reason: "\"\(segment)\" has an unclosed or stray bracket; write an index as key[2]")
            }
            let digits = rest[rest.index(after: rest.startIndex)..<close]
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let index = Int(digits) else {
                throw KeyPathSyntaxError(reason: "the index \"[\(digits)]\" in \"\(segment)\" is not a non-negative integer")
            }
            components.append(.index(index))
            rest = rest[rest.index(after: close)...]
        }
        return components
    }
}

/// The reason a key path could not be parsed.
struct KeyPathSyntaxError: Error {
    var reason: String
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
