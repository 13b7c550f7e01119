public import IAMHTTP
import IAMModel
public import StratusKit
import StratusHTTP

/// The destination of audit records. The first implementation posts them
/// to `iam-pump`, and an event-bus publisher only has to accept the same
/// batches.
public protocol AuditSink: Sendable {
    /// Delivers `batch`. `id` names the batch, so a retry of a batch that
    /// arrived is recognized; records also carry ids of their own.
    func send(_ batch: AuditBatch, id: String) async throws
}

/// Posts batches to the pump's `POST /internal/v1/audit`. The batch id goes
/// in `Idempotency-Key`, which lets the service client retry the POST on
/// another pump instance; the pump stores each record id once.
///
/// A batch whose JSON exceeds the pump's body limit goes in several
/// requests, each named by its first record's id. When one of them fails,
/// the caller sends the whole batch again, and the pump skips the records
/// it already stored.
public struct PumpAuditSink: AuditSink {
    let client: ServiceClient
    let token: String
    /// The largest request body sent, in bytes.
    let maxBodySize: Int

    /// `maxBodySize` defaults to `Request.maxIAMBodySize`, the largest body
    /// the pump reads.
    public init(client: ServiceClient, token: String, maxBodySize: Int? = nil) {
        self.client = client
        self.token = token
        self.maxBodySize = maxBodySize ?? Request.maxIAMBodySize
    }

    public func send(_ batch: AuditBatch, id: String) async throws {
        let parts = try batch.encodedParts(maxBytes: maxBodySize)
        for part in parts {
            let key = parts.count == 1 ? id : part.batch.records.first?.id ?? id
            let request = ServiceRequest(method: .post, path: "/internal/v1/audit", headers: [
                ServiceRequest.idempotencyKeyHeader: key, internalTokenHeader: token, "Content-Type": "application/json",
            ], body: part.body)
            _ = try client.checkSuccess(try await client.send(request), of: request)
        }
    }
}
