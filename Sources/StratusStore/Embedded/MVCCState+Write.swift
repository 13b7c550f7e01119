extension MVCCState {
    /// Applies a put at `revision` and returns its response.
    mutating func applyPut(_ request: PutRequest, at revision: Int64) throws(StoreError) -> PutResponse {
        let lease = request.lease?.rawValue ?? 0
        guard lease == 0 || leases[lease] != nil else {
            throw StoreError(.leaseNotFound, "lease \(LeaseID(lease)) for key \(RequestValidation.describe(request.key)) not found: it expired or was revoked; grant a new lease")
        }
        let previous = latest(request.key)
        let current = KeyRevision(
            modRevision: revision,
            createRevision: previous?.createRevision ?? revision,
            version: (previous?.version ?? 0) + 1,
            value: request.value,
            lease: lease
        )
        record(request.key, current, previous: previous)
        if lease != 0 {
            leases.attach(request.key, to: lease)
        }
        return PutResponse(revision: revision, previous: request.previousKeyValue ? previous?.keyValue(request.key) : nil)
    }

    /// Applies a delete at `revision`; the keys go in ascending order.
    mutating func applyDelete(_ request: DeleteRequest, at revision: Int64) -> DeleteResponse {
        var deleted: [([UInt8], KeyRevision)] = []
        orderedKeys.forEach(in: request.keys) { key in
            if let state = latest(key) {
                deleted.append((key, state))
            }
            return true
        }
        for (key, previous) in deleted {
            record(key, .tombstone(at: revision), previous: previous)
        }
        let previous = request.previousKeyValues ? deleted.map { $0.1.keyValue($0.0) } : []
        return DeleteResponse(revision: revision, deleted: deleted.count, previous: previous)
    }

    /// Appends a key's new state to its history and to the event log, moves
    /// the key between leases, and queues the durable change.
    private mutating func record(_ key: [UInt8], _ current: KeyRevision, previous: KeyRevision?) {
        if histories[key] == nil {
            histories[key] = KeyHistory(revisions: [current])
            orderedKeys.insert(key)
        } else {
            histories[key]!.revisions.append(current)
        }
        if let previous, previous.lease != 0, previous.lease != current.lease {
            leases.detach(key, from: previous.lease)
        }
        events.append(StoredEvent(key: key, current: current, previous: previous))
        guard persistent else { return }
        if !current.isTombstone && current.lease == 0 {
            pendingChanges.append(.upsert(current.keyValue(key)))
        } else if let previous, previous.lease == 0 {
            // A key that was durable is now deleted or leased: a restart
            // must not bring its old value back.
            pendingChanges.append(.remove(key))
        }
    }

    /// Runs a transaction's comparisons and the branch they select.
    mutating func applyTransaction(_ request: TransactionRequest) throws(StoreError) -> TransactionResponse {
        let succeeded = request.compare.allSatisfy { compare in
            compare.holds(for: latest(compare.key).map { $0.keyValue(compare.key) })
        }
        let branch = succeeded ? request.success : request.failure
        try checkLeases(in: branch)
        let next = beginWrite()
        var changed = false
        var responses: [TransactionOperationResponse] = []
        for operation in branch {
            switch operation {
            case .range(let range):
                responses.append(.range(try rangeInTransaction(range)))
            case .put(let put):
                responses.append(.put(try applyPut(put, at: next)))
                changed = true
            case .delete(let delete):
                let response = applyDelete(delete, at: next)
                changed = changed || response.deleted > 0
                responses.append(.delete(response))
            }
        }
        endWrite(at: next, changed: changed)
        return TransactionResponse(succeeded: succeeded, revision: self.revision, responses: fixRevisions(responses))
    }

    /// Fails before any operation runs when a put names a missing lease, so
    /// a transaction applies whole or not at all.
    private func checkLeases(in branch: [TransactionOperation]) throws(StoreError) {
        for case .put(let put) in branch {
            if let lease = put.lease, leases[lease.rawValue] == nil {
                throw StoreError(.leaseNotFound, "lease \(lease) for key \(RequestValidation.describe(put.key)) not found: it expired or was revoked; grant a new lease")
            }
        }
    }

    /// Gives a delete of no key, and every range, the transaction's revision.
    private func fixRevisions(_ responses: [TransactionOperationResponse]) -> [TransactionOperationResponse] {
        responses.map { response in
            switch response {
            case .range(var range):
                range.revision = revision
                return .range(range)
            case .delete(var delete):
                delete.revision = revision
                return .delete(delete)
            case .put:
                return response
            }
        }
    }
}
