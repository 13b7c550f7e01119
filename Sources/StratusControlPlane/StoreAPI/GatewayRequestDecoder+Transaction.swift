import StratusStore

extension GatewayRequestDecoder {
    static func transaction(_ fields: RequestFields) throws(GatewayError) -> TransactionPlan {
        var compares: [Compare] = []
        for item in try fields.objects("compare") {
            compares.append(try compare(item))
        }
        let (success, successRanges) = try branch(fields, "success")
        let (failure, failureRanges) = try branch(fields, "failure")
        return TransactionPlan(
            request: TransactionRequest(compare: compares, success: success, failure: failure),
            successRanges: successRanges,
            failureRanges: failureRanges
        )
    }

    /// Reads one comparison. The value compared is in the field that the
    /// target names, such as `mod_revision` for `MOD`; a missing one is zero.
    static func compare(_ fields: RequestFields) throws(GatewayError) -> Compare {
        guard try fields.bytes("range_end").isEmpty else {
            throw .unsupported(fields.fieldPath("range_end"), "a comparison applies to one key here; compare each key of the range")
        }
        let resultIndex = try fields.enumeration("result", names: GatewayVocabulary.compareResults.map(\.name))
        let targetIndex = try fields.enumeration("target", names: GatewayVocabulary.compareTargets)
        let field = GatewayVocabulary.compareTargetFields[targetIndex]
        let target: Compare.Target = switch targetIndex {
        case 0: .version(try fields.int64(field))
        case 1: .createRevision(try fields.int64(field))
        case 2: .modRevision(try fields.int64(field))
        case 3: .value(try fields.bytes(field))
        default: .lease(try lease(fields, field))
        }
        return Compare(key: try fields.bytes("key"), target, GatewayVocabulary.compareResults[resultIndex].result)
    }

    private static func branch(_ fields: RequestFields, _ name: String) throws(GatewayError) -> ([TransactionOperation], [RangeQuery]) {
        var operations: [TransactionOperation] = []
        var ranges: [RangeQuery] = []
        for item in try fields.objects(name) {
            if let range = try item.object("request_range") {
                let query = try self.range(range)
                operations.append(.range(query.storeRequest))
                ranges.append(query)
            } else if let put = try item.object("request_put") {
                operations.append(.put(try self.put(put)))
            } else if let delete = try item.object("request_delete_range") {
                operations.append(.delete(try self.delete(delete)))
            } else if item.contains("request_txn") {
                throw .unsupported(item.fieldPath("request_txn"), "nested transactions are not supported; merge them into one transaction")
            } else {
                throw GatewayError(.invalidArgument, "invalid operation \(item.path): expected one of request_range, request_put or request_delete_range")
            }
        }
        return (operations, ranges)
    }
}
