/// The keys an operation applies to.
///
/// Keys compare as unsigned bytes, as in etcd, so a prefix covers every key
/// that starts with its bytes.
public enum KeyRange: Sendable, Hashable {
    /// Exactly one key.
    case key([UInt8])
    /// Every key that starts with the bytes. An empty prefix covers all keys.
    case prefix([UInt8])
    /// Keys from `start` (included) to `end` (excluded).
    case interval(start: [UInt8], end: [UInt8])
    /// Every key greater than or equal to the bytes.
    case from([UInt8])

    public static func key(_ key: String) -> KeyRange { .key(Array(key.utf8)) }
    public static func prefix(_ prefix: String) -> KeyRange { .prefix(Array(prefix.utf8)) }

    /// The first key of the range.
    public var start: [UInt8] {
        switch self {
        case .key(let key), .prefix(let key), .from(let key): key
        case .interval(let start, _): start
        }
    }

    /// The end of the range in etcd's encoding: nil for a single key, `[0]` for
    /// "no upper bound", otherwise the first key past the range.
    public var end: [UInt8]? {
        switch self {
        case .key:
            return nil
        case .prefix(let prefix):
            return Self.prefixEnd(prefix)
        case .interval(_, let end):
            return end
        case .from:
            return [0]
        }
    }

    /// Returns whether `key` falls in the range.
    public func contains(_ key: [UInt8]) -> Bool {
        switch self {
        case .key(let only):
            return key == only
        case .prefix(let prefix):
            return key.starts(with: prefix)
        case .interval(let start, let end):
            return !key.lexicographicallyPrecedes(start) && key.lexicographicallyPrecedes(end)
        case .from(let start):
            return !key.lexicographicallyPrecedes(start)
        }
    }

    /// Builds a range from etcd's `key` and `range_end` fields.
    public init(start: [UInt8], end: [UInt8]?) {
        guard let end, !end.isEmpty else {
            self = .key(start)
            return
        }
        if end == [0] {
            self = start == [0] || start.isEmpty ? .prefix([]) : .from(start)
        } else if Self.prefixEnd(start) == end {
            self = .prefix(start)
        } else {
            self = .interval(start: start, end: end)
        }
    }

    /// Returns the smallest key greater than every key with `prefix`: the prefix with
    /// its last byte below 0xff incremented and what follows dropped. When no
    /// such key exists (an empty prefix or one of only 0xff bytes) it returns
    /// `[0]`, etcd's mark for a range without an upper bound.
    static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xff {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]
    }
}
