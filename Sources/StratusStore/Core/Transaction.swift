/// A condition on one key that a transaction checks before it writes.
///
/// A missing key has version 0, create revision 0, mod revision 0 and no
/// lease, as in etcd, so `version == 0` tests that a key is absent. A value
/// comparison on a missing key never holds, whatever the result asked for,
/// because etcd (3.4) cannot tell a missing value from an empty one.
public struct Compare: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case value([UInt8])
        case version(Int64)
        case createRevision(Int64)
        case modRevision(Int64)
        case lease(LeaseID?)
    }

    public enum Result: Sendable, Hashable {
        case equal, notEqual, greater, less
    }

    public var key: [UInt8]
    public var target: Target
    public var result: Result

    public init(key: [UInt8], _ target: Target, _ result: Result) {
        self.key = key
        self.target = target
        self.result = result
    }

    public init(key: String, _ target: Target, _ result: Result) {
        self.init(key: Array(key.utf8), target, result)
    }

    /// Evaluates the comparison against the key's current state, nil if absent.
    public func holds(for current: KeyValue?) -> Bool {
        switch target {
        case .value(let expected):
            guard let current else { return false }
            return result.holds(Self.compareBytes(current.value, expected))
        case .version(let expected):
            return result.holds(Self.compareNumbers(current?.version ?? 0, expected))
        case .createRevision(let expected):
            return result.holds(Self.compareNumbers(current?.createRevision ?? 0, expected))
        case .modRevision(let expected):
            return result.holds(Self.compareNumbers(current?.modRevision ?? 0, expected))
        case .lease(let expected):
            return result.holds(Self.compareNumbers(current?.lease?.rawValue ?? 0, expected?.rawValue ?? 0))
        }
    }

    private static func compareNumbers(_ lhs: Int64, _ rhs: Int64) -> Int {
        lhs < rhs ? -1 : (lhs > rhs ? 1 : 0)
    }

    private static func compareBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        if lhs == rhs { return 0 }
        return lhs.lexicographicallyPrecedes(rhs) ? -1 : 1
    }
}

extension Compare.Result {
    /// Whether an ordering (-1, 0 or 1) satisfies the result.
    func holds(_ ordering: Int) -> Bool {
        switch self {
        case .equal: ordering == 0
        case .notEqual: ordering != 0
        case .greater: ordering > 0
        case .less: ordering < 0
        }
    }
}

/// One operation in a branch of a transaction.
public enum TransactionOperation: Sendable, Hashable {
    case range(RangeRequest)
    case put(PutRequest)
    case delete(DeleteRequest)
}

/// The result of one transaction operation, in the order of the branch.
public enum TransactionOperationResponse: Sendable, Hashable {
    case range(RangeResponse)
    case put(PutResponse)
    case delete(DeleteResponse)
}

/// Checks every comparison, then runs `success` when all hold and `failure`
/// otherwise, atomically: no other write lands between the check and the
/// operations, and all writes of the branch share one revision.
///
/// A branch may not write the same key twice; the store rejects such a
/// transaction with `StoreError.Code.invalidArgument`, as etcd does.
public struct TransactionRequest: Sendable, Hashable {
    public var compare: [Compare]
    public var success: [TransactionOperation]
    public var failure: [TransactionOperation]

    public init(compare: [Compare] = [], success: [TransactionOperation] = [], failure: [TransactionOperation] = []) {
        self.compare = compare
        self.success = success
        self.failure = failure
    }
}

public struct TransactionResponse: Sendable, Hashable {
    /// Whether every comparison held and `success` ran.
    public var succeeded: Bool
    /// The store's revision after the transaction.
    public var revision: Int64
    public var responses: [TransactionOperationResponse]

    public init(succeeded: Bool, revision: Int64, responses: [TransactionOperationResponse]) {
        self.succeeded = succeeded
        self.revision = revision
        self.responses = responses
    }
}
