/// Reads the keys in a range.
public struct RangeRequest: Sendable, Hashable {
    public var keys: KeyRange
    /// Maximum number of keys returned; 0 returns all of them.
    public var limit: Int
    /// The revision to read at; 0 reads the latest. A revision below the
    /// compacted one fails with `StoreError.Code.compacted`, one above the
    /// current revision with `StoreError.Code.futureRevision`.
    public var revision: Int64
    /// Returns keys with empty values.
    public var keysOnly: Bool
    /// Returns only the count of matching keys.
    public var countOnly: Bool

    public init(
        _ keys: KeyRange,
        limit: Int = 0,
        revision: Int64 = 0,
        keysOnly: Bool = false,
        countOnly: Bool = false
    ) {
        self.keys = keys
        self.limit = limit
        self.revision = revision
        self.keysOnly = keysOnly
        self.countOnly = countOnly
    }
}

/// The keys of a range in ascending byte order.
public struct RangeResponse: Sendable, Hashable {
    /// The store's revision when the read was served.
    public var revision: Int64
    public var keyValues: [KeyValue]
    /// The number of keys in the range, ignoring the limit.
    public var count: Int
    /// Whether the limit left keys out.
    public var more: Bool

    public init(revision: Int64, keyValues: [KeyValue], count: Int, more: Bool) {
        self.revision = revision
        self.keyValues = keyValues
        self.count = count
        self.more = more
    }
}

/// Writes one key.
public struct PutRequest: Sendable, Hashable {
    public var key: [UInt8]
    public var value: [UInt8]
    /// The lease the key belongs to: the key is deleted when the lease ends.
    public var lease: LeaseID?
    /// Returns the key's previous value in the response.
    public var previousKeyValue: Bool

    public init(key: [UInt8], value: [UInt8], lease: LeaseID? = nil, previousKeyValue: Bool = false) {
        self.key = key
        self.value = value
        self.lease = lease
        self.previousKeyValue = previousKeyValue
    }

    public init(key: String, value: String, lease: LeaseID? = nil, previousKeyValue: Bool = false) {
        self.init(key: Array(key.utf8), value: Array(value.utf8), lease: lease, previousKeyValue: previousKeyValue)
    }
}

public struct PutResponse: Sendable, Hashable {
    /// The revision of the write.
    public var revision: Int64
    /// The key before the write, when requested and the key existed.
    public var previous: KeyValue?

    public init(revision: Int64, previous: KeyValue? = nil) {
        self.revision = revision
        self.previous = previous
    }
}

/// Deletes the keys in a range.
public struct DeleteRequest: Sendable, Hashable {
    public var keys: KeyRange
    /// Returns the deleted keys in the response.
    public var previousKeyValues: Bool

    public init(_ keys: KeyRange, previousKeyValues: Bool = false) {
        self.keys = keys
        self.previousKeyValues = previousKeyValues
    }
}

public struct DeleteResponse: Sendable, Hashable {
    /// The revision of the delete; the current revision when nothing matched,
    /// because a delete of no key does not change the store.
    public var revision: Int64
    public var deleted: Int
    /// The deleted keys, when requested.
    public var previous: [KeyValue]

    public init(revision: Int64, deleted: Int, previous: [KeyValue] = []) {
        self.revision = revision
        self.deleted = deleted
        self.previous = previous
    }
}
