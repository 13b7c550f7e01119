public import IAMHTTP
public import StratusKit

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
public struct PumpAuditSink: AuditSink {
    let client: ServiceClient
    let token: String

    public init(client: ServiceClient, token: String) {
        self.client = client
        self.token = token
    }

    public func send(_ batch: AuditBatch, id: String) async throws {
        try await client.post("/internal/v1/audit", json: batch, headers: [
            ServiceRequest.idempotencyKeyHeader: id, internalTokenHeader: token,
        ])
    }
}
