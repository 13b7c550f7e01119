/// Checks that both implementations apply before a request reaches the
/// store, so that a malformed request fails the same way on each and
/// changes nothing.
package enum RequestValidation {
    /// The largest key or value accepted, 1.5 MiB: etcd's default request limit.
    package static let maxEntrySize = 1_572_864

    package static func check(_ request: RangeRequest) throws(StoreError) {
        try check(request.keys, field: "range")
        guard request.limit >= 0 else {
            throw .invalid("invalid range limit \(request.limit): expected 0 (no limit) or a positive count")
        }
        guard request.revision >= 0 else {
            throw .invalid("invalid range revision \(request.revision): expected 0 (latest) or a positive revision")
        }
    }

    package static func check(_ request: PutRequest) throws(StoreError) {
        try checkKey(request.key, field: "put")
        guard request.value.count <= maxEntrySize else {
            throw .invalid("value of \(request.value.count) bytes for key \(describe(request.key)) is too large: the limit is \(maxEntrySize) bytes")
        }
        if let lease = request.lease, lease.rawValue <= 0 {
            throw .invalid("invalid lease \(lease.rawValue) for key \(describe(request.key)): expected a positive lease id or none")
        }
    }

    package static func check(_ request: DeleteRequest) throws(StoreError) {
        try check(request.keys, field: "delete")
    }

    package static func check(_ request: TransactionRequest) throws(StoreError) {
        for compare in request.compare {
            try checkKey(compare.key, field: "compare")
        }
        for branch in [request.success, request.failure] {
            try checkBranch(branch)
        }
    }

    package static func checkGrant(ttl: Int64, id: LeaseID?) throws(StoreError) {
        guard ttl > 0 else {
            throw .invalid("invalid lease TTL \(ttl): expected a positive number of seconds")
        }
        if let id, id.rawValue <= 0 {
            throw .invalid("invalid lease id \(id.rawValue): expected a positive id, or nil for one the store picks")
        }
    }

    package static func checkCompaction(_ revision: Int64) throws(StoreError) {
        guard revision > 0 else {
            throw .invalid("invalid compaction revision \(revision): expected a positive revision")
        }
    }

    package static func checkWatch(_ request: WatchRequest) throws(StoreError) {
        try check(request.keys, field: "watch")
        if let start = request.startRevision, start < 0 {
            throw .invalid("invalid watch start revision \(start): expected a positive revision or none")
        }
    }

    /// A key for messages: the UTF-8 text in quotes, or hex when not text.
    package static func describe(_ key: [UInt8]) -> String {
        if let text = String(validating: key, as: UTF8.self), !text.contains(where: \.isNewline) {
            return "\"\(text)\""
        }
        return "0x" + key.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    /// Rejects a branch that writes a key twice, by two puts or by a put and
    /// a delete whose range covers it, because the order of such writes
    /// within one revision would be ambiguous (etcd rejects it too).
    private static func checkBranch(_ branch: [TransactionOperation]) throws(StoreError) {
        var putKeys = Set<[UInt8]>()
        var deleteRanges: [KeyRange] = []
        for operation in branch {
            switch operation {
            case .range(let range):
                try check(range)
            case .put(let put):
                try check(put)
                let overlapsDelete = deleteRanges.contains { $0.contains(put.key) }
                guard putKeys.insert(put.key).inserted, !overlapsDelete else {
                    throw duplicateWrite(put.key)
                }
            case .delete(let delete):
                try check(delete)
                if let key = putKeys.first(where: delete.keys.contains) {
                    throw duplicateWrite(key)
                }
                deleteRanges.append(delete.keys)
            }
        }
    }

    private static func duplicateWrite(_ key: [UInt8]) -> StoreError {
        .invalid("transaction writes key \(describe(key)) twice: each key may be written once per branch")
    }

    private static func check(_ range: KeyRange, field: String) throws(StoreError) {
        switch range {
        case .key(let key):
            try checkKey(key, field: field)
        case .prefix, .from:
            break
        case .interval(let start, let end):
            try checkKey(start, field: field)
            guard start.lexicographicallyPrecedes(end) else {
                throw .invalid("invalid \(field) interval from \(describe(start)) to \(describe(end)): the end must be after the start")
            }
        }
    }

    private static func checkKey(_ key: [UInt8], field: String) throws(StoreError) {
        guard !key.isEmpty else {
            throw .invalid("missing \(field) key: a key must have at least one byte")
        }
        guard key.count <= maxEntrySize else {
            throw .invalid("\(field) key of \(key.count) bytes is too large: the limit is \(maxEntrySize) bytes")
        }
    }
}
