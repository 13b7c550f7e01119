/// One header or trailer field line.
public struct HTTPField: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An ordered list of header fields with case-insensitive lookup by name.
///
/// Order and repeated names are kept as received, because some fields
/// (`Set-Cookie`) cannot be combined into one line (RFC 9110, section 5.3).
public struct HTTPFields: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    private var fields: [HTTPField]

    public init() {
        fields = []
    }

    public init(_ fields: [HTTPField]) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { HTTPField(name: $0.0, value: $0.1) }
    }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> HTTPField { fields[position] }

    /// Gets the value of the first field named `name`, or nil. Setting replaces
    /// every field of that name with one field, or removes them all when set to nil.
    public subscript(name: String) -> String? {
        get {
            fields.first { $0.name.equalsIgnoringASCIICase(name) }?.value
        }
        set {
            if let newValue {
                set(name, newValue)
            } else {
                remove(name)
            }
        }
    }

    /// Returns the values of every field named `name`, in order.
    public func values(for name: String) -> [String] {
        fields.compactMap { $0.name.equalsIgnoringASCIICase(name) ? $0.value : nil }
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    public mutating func append(_ name: String, _ value: String) {
        fields.append(HTTPField(name: name, value: value))
    }

    public mutating func append(_ field: HTTPField) {
        fields.append(field)
    }

    /// Replaces every field named `name` with one field holding `value`,
    /// at the position of the first one.
    public mutating func set(_ name: String, _ value: String) {
        guard let first = fields.firstIndex(where: { $0.name.equalsIgnoringASCIICase(name) }) else {
            fields.append(HTTPField(name: name, value: value))
            return
        }
        fields[first].value = value
        var index = fields.index(after: first)
        while index < fields.endIndex {
            if fields[index].name.equalsIgnoringASCIICase(name) {
                fields.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    public mutating func remove(_ name: String) {
        removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// Removes every field for which `shouldBeRemoved` returns true.
    public mutating func removeAll(where shouldBeRemoved: (HTTPField) throws -> Bool) rethrows {
        // Only a match mutates, so fields shared with a copy of the request
        // are not copied when there is nothing to remove.
        guard try fields.contains(where: shouldBeRemoved) else { return }
        try fields.removeAll(where: shouldBeRemoved)
    }

    /// Checks whether a comma-separated list field (`Connection`,
    /// `Transfer-Encoding`) contains `token`, compared case-insensitively
    /// (RFC 9110, section 5.6.1).
    public func containsToken(_ token: String, in name: String) -> Bool {
        for value in values(for: name) {
            for element in value.split(separator: ",") {
                if element.trimmingASCIISpaces().equalsIgnoringASCIICase(token) {
                    return true
                }
            }
        }
        return false
    }
}

extension StringProtocol {
    /// Compares two strings byte by byte, folding ASCII letters only, which is how
    /// field names and tokens compare (RFC 9110, section 5.1). Inlinable, so
    /// that callers in other modules get a version specialized to their
    /// string types instead of the generic one.
    @inlinable
    package func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        // A header scan mostly compares names of different lengths, and the
        // UTF-8 count of a native string is stored, so most mismatches end here.
        guard self.utf8.count == other.utf8.count else { return false }
        // Native strings, small ones included, expose their bytes, which
        // compare faster than through two iterators.
        let contiguous = self.utf8.withContiguousStorageIfAvailable { lhs in
            other.utf8.withContiguousStorageIfAvailable { rhs in
                for index in 0..<lhs.count where lhs[index] != rhs[index] && asciiLowercase(lhs[index]) != asciiLowercase(rhs[index]) {
                    return false
                }
                return true
            }
        }
        if let contiguous, let equal = contiguous {
            return equal
        }
        var lhs = self.utf8.makeIterator()
        var rhs = other.utf8.makeIterator()
        while true {
            switch (lhs.next(), rhs.next()) {
            case (nil, nil):
                return true
            case let (left?, right?):
                if left != right && asciiLowercase(left) != asciiLowercase(right) {
                    return false
                }
            default:
                return false
            }
        }
    }

    /// Trims spaces and horizontal tabs (optional whitespace, RFC 9110, section 5.6.3).
    @inlinable
    package func trimmingASCIISpaces() -> Substring {
        let utf8 = Substring(self).utf8
        guard let start = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else {
            return ""
        }
        let end = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        return Substring(utf8[start...end])
    }
}

@inlinable @inline(__always)
package func asciiLowercase(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
}
