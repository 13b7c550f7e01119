public import StratusHTTP
import StratusLog
public import StratusStore

/// The store API of the control plane, wire-compatible with etcd v3's JSON
/// gateway (etcd 3.4): the same `/v3/...` paths, JSON field names, base64
/// keys and values, int64 fields as strings, and error bodies, so that etcd
/// gateway clients (etcd3gw, `EtcdStore`, curl scripts) work against any
/// `KeyValueStore`.
///
/// ```swift
/// let router = Router()
/// StoreGatewayAPI(store: store).register(on: router)
/// let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 2379), responder: router.buildResponder())
/// ```
///
/// Every request is a POST with a JSON body, and every response carries
/// etcd's `header` with the store's revision. Requests are checked with
/// `RequestValidation` before they reach the store, so bad input gets a
/// 400 naming the field and value, and changes nothing.
///
/// Differences from etcd: a TTL of 0 or less is rejected rather than raised
/// to etcd's minimum, a range whose end is not after its start is rejected
/// rather than returning nothing. `ignore_value`, `ignore_lease`, nested
/// transactions, comparisons over key ranges and `/v3/lease/leases` are
/// rejected with 501 (gRPC code 12, Unimplemented), because `KeyValueStore`
/// has no such operations.
public struct StoreGatewayAPI: Sendable {
    let store: any KeyValueStore
    let configuration: Configuration
    let encoder: GatewayResponseEncoder

    public init(store: any KeyValueStore, configuration: Configuration = .init()) {
        self.store = store
        self.configuration = configuration
        encoder = GatewayResponseEncoder(header: ResponseHeader(
            clusterID: configuration.clusterID,
            memberID: configuration.memberID,
            raftTerm: configuration.raftTerm
        ))
    }

    /// Registers the endpoints on `router`: the key-value, lease, watch and
    /// maintenance paths under `/v3`, with etcd 3.4's `/v3/kv/lease/...`
    /// aliases, and `GET /version`.
    public func register(on router: some RouterMethods) {
        registerKeyValue(on: router)
        registerLease(on: router)
        registerWatch(on: router)
        registerMaintenance(on: router)
    }

    /// Serves one unary request: parses the body, runs `operation` on it and
    /// writes its JSON, or the gateway error body when a step fails.
    func unary(
        _ request: Request,
        _ operation: @Sendable (RequestFields) async throws(GatewayError) -> JSONValue
    ) async -> Response {
        do {
            let fields = try await readBody(request)
            return Self.json(try await operation(fields))
        } catch {
            return error.response
        }
    }

    /// Reads and parses a request body of at most `maxRequestSize` bytes.
    func readBody(_ request: Request) async throws(GatewayError) -> RequestFields {
        let body: [UInt8]
        do {
            body = try await request.body.collect(upTo: configuration.maxRequestSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw GatewayError(.invalidArgument, "request body is too large: the limit is \(configuration.maxRequestSize) bytes; send smaller values or fewer operations")
        } catch {
            throw GatewayError(.cancelled, "the request body could not be read: \(error)")
        }
        return try RequestFields(body: body)
    }

    /// Store errors that the request caused, which the client gets and
    /// handles, so they are not logged.
    private static let requestErrors: Set<StoreError.Code> = [.invalidArgument, .compacted, .futureRevision, .leaseNotFound]

    /// Runs a store call and turns its `StoreError` into the gateway's error.
    /// Failures of the store itself, such as `unavailable`, are logged.
    func call<Result: Sendable>(_ body: () async throws -> Result) async throws(GatewayError) -> Result {
        do {
            return try await body()
        } catch let error as StoreError {
            if !Self.requestErrors.contains(error.code) {
                configuration.logger.error("store request failed", metadata: ["error": "\(error)"])
            }
            throw GatewayError(error)
        } catch {
            configuration.logger.error("store request failed", metadata: ["error": "\(error)"])
            throw GatewayError(.unknown, "the store failed: \(error)")
        }
    }

    /// Checks a request as the store would, so a bad one fails before any write.
    func validate(_ check: () throws(StoreError) -> Void) throws(GatewayError) {
        do {
            try check()
        } catch {
            throw GatewayError(error)
        }
    }

    /// Returns the store's current revision, for the header of responses to
    /// calls that do not report one, such as lease calls.
    func currentRevision() async throws(GatewayError) -> Int64 {
        try await call {
            try await store.range(RangeRequest(.key([0]), countOnly: true)).revision
        }
    }

    static func json(_ value: JSONValue) -> Response {
        Response(headers: ["Content-Type": "application/json"], body: OutgoingBody(bytes: value.serialized))
    }
}
