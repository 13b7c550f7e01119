import StratusStore

/// A transaction as read from a request, with the etcd range options of
/// each branch's range operations, in branch order, for `RangeQuery.finish`.
struct TransactionPlan: Sendable {
    var request: TransactionRequest
    var successRanges: [RangeQuery] = []
    var failureRanges: [RangeQuery] = []

    /// Checks the request as the store would, and the limit of each range
    /// operation as the client sent it, because `storeRequest` may drop it.
    func validate() throws(StoreError) {
        try RequestValidation.check(request)
        for query in successRanges + failureRanges {
            try RequestValidation.check(query.request)
        }
    }
}
