/// One key with its value and the revisions that describe its history, as a
/// range or a watch returns it.
///
/// Revisions come from the store's global counter. A key's `createRevision`
/// is the revision of the put that created it, `modRevision` the revision of
/// its latest change, and `version` counts the puts since it was created. A
/// delete resets the version: a key put again after a delete starts at 1 with
/// a new create revision.
public struct KeyValue: Sendable, Hashable {
    public var key: [UInt8]
    public var value: [UInt8]
    public var createRevision: Int64
    public var modRevision: Int64
    public var version: Int64
    /// The lease the key is attached to, or nil.
    public var lease: LeaseID?

    public init(
        key: [UInt8],
        value: [UInt8],
        createRevision: Int64,
        modRevision: Int64,
        version: Int64,
        lease: LeaseID? = nil
    ) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }

    /// The key decoded as UTF-8, with invalid bytes replaced.
    public var keyString: String { String(decoding: key, as: UTF8.self) }

    /// The value decoded as UTF-8, with invalid bytes replaced.
    public var valueString: String { String(decoding: value, as: UTF8.self) }
}
