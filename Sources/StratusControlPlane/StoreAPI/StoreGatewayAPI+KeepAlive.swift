import StratusHTTP
import StratusStore

extension StoreGatewayAPI {
    /// Serves `/v3/lease/keepalive`, a stream in both directions: each
    /// `{"ID": ...}` object in the request body renews that lease and gets one
    /// line `{"result": LeaseKeepAliveResponse}`. The response ends with the
    /// request body, so a body of one object gets one line, as etcd3gw expects.
    ///
    /// A lease that does not exist gets a result without `TTL` (TTL 0), as
    /// in etcd. An invalid first object gets a 400 error body. A later
    /// invalid object, or a store failure, gets one stream error line
    /// (`{"error": {...}}`) that ends the response.
    func keepAlive(_ request: Request) async -> Response {
        let reader = JSONMessageReader(request.body, maxMessageSize: configuration.maxRequestSize)
        let first: RequestFields
        do {
            first = try await reader.next() ?? RequestFields(JSONObject())
            _ = try first.int64("ID")
        } catch {
            return error.response
        }
        return Response(headers: ["Content-Type": "application/json"], body: OutgoingBody { writer in
            let output = SerialLineWriter(writer)
            var message: RequestFields? = first
            while let current = message {
                do {
                    try await output.write(try await renew(current))
                    message = try await reader.next()
                } catch let error as GatewayError {
                    try await output.write(error.streamLine)
                    return
                }
            }
        })
    }

    /// Renews one lease and returns the stream line for it.
    private func renew(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        let id = LeaseID(try fields.int64("ID"))
        var result = ResponseObject()
        var ttl: Int64 = 0
        do {
            ttl = try await call { try await store.keepAlive(id) }
        } catch where error.code == .notFound {
            ttl = 0
        }
        result.set("header", encoder.header.object(revision: try await currentRevision()))
        result.int64("ID", id.rawValue)
        result.int64("TTL", ttl)
        var line = ResponseObject()
        line.set("result", result.value)
        return line.value
    }
}
