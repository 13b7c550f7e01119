import StratusStore

/// A range request with etcd's options that `RangeRequest` lacks: sorting
/// and filters on mod and create revisions.
///
/// The store serves the range, and `finish(_:)` applies these options to
/// the result as etcd 3.4 does: it keeps the keys whose revisions pass the
/// filters, sorts them, and then applies the limit. `count` stays the
/// number of keys in the range before the filters, as in etcd.
struct RangeQuery: Sendable {
    enum SortOrder: Int, Sendable {
        case none, ascend, descend
    }

    enum SortTarget: Int, Sendable {
        case key, version, create, mod, value
    }

    static let sortOrderNames = ["NONE", "ASCEND", "DESCEND"]
    static let sortTargetNames = ["KEY", "VERSION", "CREATE", "MOD", "VALUE"]

    /// The request as the client sent it, with its limit.
    var request: RangeRequest
    var sortOrder = SortOrder.none
    var sortTarget = SortTarget.key
    var minModRevision: Int64 = 0
    var maxModRevision: Int64 = 0
    var minCreateRevision: Int64 = 0
    var maxCreateRevision: Int64 = 0

    init(_ request: RangeRequest) {
        self.request = request
    }

    /// Whether the store's own range cannot produce the result: the keys
    /// must be filtered or sorted before the limit applies.
    private var needsFinishing: Bool {
        guard !request.countOnly else { return false }
        let filtered = minModRevision != 0 || maxModRevision != 0 || minCreateRevision != 0 || maxCreateRevision != 0
        return filtered || effectiveOrder != .none
    }

    /// etcd sorts ascending when a target other than the key is given without an order.
    private var effectiveOrder: SortOrder {
        sortOrder == .none && sortTarget != .key ? .ascend : sortOrder
    }

    /// The request to send to the store: without the limit when the keys
    /// must be filtered or sorted first, and with values when they are
    /// sorted by value.
    var storeRequest: RangeRequest {
        guard needsFinishing else { return request }
        var whole = request
        whole.limit = 0
        whole.keysOnly = request.keysOnly && sortTarget != .value
        return whole
    }

    /// Applies the filters, the order and the limit to the store's response
    /// to `storeRequest`.
    func finish(_ response: RangeResponse) -> RangeResponse {
        guard needsFinishing else { return response }
        var keyValues = response.keyValues.filter(passesFilters)
        sort(&keyValues)
        var finished = response
        finished.more = request.limit > 0 && keyValues.count > request.limit
        if finished.more {
            keyValues.removeLast(keyValues.count - request.limit)
        }
        if request.keysOnly {
            keyValues = keyValues.map { keyValue in
                var keyOnly = keyValue
                keyOnly.value = []
                return keyOnly
            }
        }
        finished.keyValues = keyValues
        return finished
    }

    private func passesFilters(_ keyValue: KeyValue) -> Bool {
        if minModRevision != 0 && keyValue.modRevision < minModRevision { return false }
        if maxModRevision != 0 && keyValue.modRevision > maxModRevision { return false }
        if minCreateRevision != 0 && keyValue.createRevision < minCreateRevision { return false }
        if maxCreateRevision != 0 && keyValue.createRevision > maxCreateRevision { return false }
        return true
    }

    /// Sorts stably, so that keys with equal targets stay in key order.
    private func sort(_ keyValues: inout [KeyValue]) {
        let order = effectiveOrder
        guard order != .none else { return }
        let target = sortTarget
        let indexed = keyValues.enumerated().sorted { lhs, rhs in
            let ordering = Self.compare(lhs.element, rhs.element, by: target)
            if ordering != 0 {
                return order == .ascend ? ordering < 0 : ordering > 0
            }
            return lhs.offset < rhs.offset
        }
        keyValues = indexed.map(\.element)
    }

    /// Returns -1, 0 or 1 as `lhs` orders before, with or after `rhs`.
    private static func compare(_ lhs: KeyValue, _ rhs: KeyValue, by target: SortTarget) -> Int {
        switch target {
        case .key: compareBytes(lhs.key, rhs.key)
        case .value: compareBytes(lhs.value, rhs.value)
        case .version: compareNumbers(lhs.version, rhs.version)
        case .create: compareNumbers(lhs.createRevision, rhs.createRevision)
        case .mod: compareNumbers(lhs.modRevision, rhs.modRevision)
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
