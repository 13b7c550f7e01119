/// The identifier of a lease: a positive 64-bit number, as in etcd.
public struct LeaseID: Sendable, Hashable, Comparable, CustomStringConvertible, RawRepresentable {
    public let rawValue: Int64

    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// The identifier in lowercase hexadecimal, as etcd prints it.
    public var description: String { String(rawValue, radix: 16) }

    public static func < (lhs: LeaseID, rhs: LeaseID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A lease the store granted.
public struct LeaseGrant: Sendable, Hashable {
    public var id: LeaseID
    /// The time to live in seconds that the store granted, which can be more
    /// than requested: etcd raises a TTL below its minimum.
    public var ttl: Int64

    public init(id: LeaseID, ttl: Int64) {
        self.id = id
        self.ttl = ttl
    }
}

/// What the store holds about a live lease.
public struct LeaseStatus: Sendable, Hashable {
    public var id: LeaseID
    /// Seconds left before the lease expires, rounded up.
    public var remainingTTL: Int64
    /// The time to live the lease was granted with, in seconds.
    public var grantedTTL: Int64
    /// The keys attached to the lease, in ascending order.
    public var keys: [[UInt8]]

    public init(id: LeaseID, remainingTTL: Int64, grantedTTL: Int64, keys: [[UInt8]] = []) {
        self.id = id
        self.remainingTTL = remainingTTL
        self.grantedTTL = grantedTTL
        self.keys = keys
    }
}
