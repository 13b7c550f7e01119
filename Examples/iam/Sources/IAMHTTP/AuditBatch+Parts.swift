public import IAMModel

extension AuditBatch {
    /// Consecutive records of a batch and their JSON body.
    public struct EncodedPart: Sendable {
        public var batch: AuditBatch
        public var body: [UInt8]
    }

    /// Encodes the batch as JSON in consecutive parts, each with a body of
    /// at most `maxBytes`, keeping the records' order. Each record is
    /// encoded once, and a part's body is the same bytes as
    /// `JSONCoding.encode` of that part.
    ///
    /// An empty batch is one part. NOTE: a record whose own JSON exceeds
    /// `maxBytes`, such as the record of a user with thousands of
    /// policies, is a part of its own, larger than `maxBytes`, that a
    /// receiver with that limit rejects.
    public func encodedParts(maxBytes: Int) throws -> [EncodedPart] {
        let opening = Array(#"{"records":["#.utf8)
        let closing = Array("]}".utf8)
        var parts: [EncodedPart] = []
        var current: [AuditRecord] = []
        var body = opening
        for record in records {
            let encoded = try JSONCoding.encode(record)
            let separator = current.isEmpty ? 0 : 1
            if !current.isEmpty && body.count + separator + encoded.count + closing.count > maxBytes {
                parts.append(EncodedPart(batch: AuditBatch(records: current), body: body + closing))
                current = []
                body = opening
            }
            if !current.isEmpty {
                body.append(UInt8(ascii: ","))
            }
            body += encoded
            current.append(record)
        }
        if !current.isEmpty || parts.isEmpty {
            parts.append(EncodedPart(batch: AuditBatch(records: current), body: body + closing))
        }
        return parts
    }
}
