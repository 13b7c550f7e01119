import Foundation
import StratusControlPlane
import StratusHTTP
import StratusTestSupport
import Testing

/// Starts the store API over an in-memory store, runs `body` with it and an
/// HTTP client, and stops both afterwards, also when `body` throws.
func withGateway(
    configure: (inout StoreGatewayAPI.Configuration) -> Void = { _ in },
    _ body: (GatewayPeer, GatewayHTTP) async throws -> Void
) async throws {
    var configuration = StoreGatewayAPI.Configuration()
    configure(&configuration)
    let peer = try await GatewayPeer.start(configuration: configuration)
    let http = GatewayHTTP(url: peer.url)
    do {
        try await body(peer, http)
    } catch {
        http.shutdown()
        await peer.stop()
        throw error
    }
    http.shutdown()
    await peer.stop()
}

/// A response of the store API: the status and the body parsed as JSON.
struct GatewayReply: @unchecked Sendable {
    let status: Int
    let contentType: String?
    let text: String
    /// The body as a JSON object, or empty when it is not one.
    let object: [String: Any]

    /// Returns the object at `path`, such as `"header"`, or an empty one.
    func object(_ path: String...) -> [String: Any] {
        var current = object
        for name in path {
            current = current[name] as? [String: Any] ?? [:]
        }
        return current
    }

    /// The error message of an error body.
    var message: String { object["message"] as? String ?? "" }
    /// The gRPC code of an error body.
    var code: Int? { object["code"] as? Int }
}

/// Posts JSON to the store API with `StratusHTTP.HTTPClient`.
struct GatewayHTTP: Sendable {
    let url: String
    let client = HTTPClient()

    func post(_ path: String, _ body: String) async throws -> GatewayReply {
        let request = HTTPClientRequest(method: .post, url: url + path, body: OutgoingBody(string: body))
        let (response, bytes) = try await client.execute(request, timeout: .seconds(20), collectingUpTo: 1 << 20)
        let parsed = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        return GatewayReply(
            status: response.status.code,
            contentType: response.headers["Content-Type"],
            text: String(decoding: bytes, as: UTF8.self),
            object: parsed ?? [:]
        )
    }

    func get(_ path: String) async throws -> GatewayReply {
        let (response, bytes) = try await client.execute(HTTPClientRequest(url: url + path), timeout: .seconds(20), collectingUpTo: 1 << 20)
        let parsed = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        return GatewayReply(
            status: response.status.code,
            contentType: response.headers["Content-Type"],
            text: String(decoding: bytes, as: UTF8.self),
            object: parsed ?? [:]
        )
    }

    /// Returns the number of keys in the store and its revision, for checks
    /// that a rejected request stored nothing.
    func storeState() async throws -> (count: Int, revision: String) {
        let reply = try await post("/v3/kv/range", #"{"key": "AA==", "range_end": "AA==", "count_only": true}"#)
        let count = Int(reply.object["count"] as? String ?? "0") ?? -1
        return (count, reply.object("header")["revision"] as? String ?? "")
    }

    func shutdown() {
        client.shutdown()
    }
}

/// Returns `text` in base64, as the gateway encodes keys and values.
func base64(_ text: String) -> String {
    Data(text.utf8).base64EncodedString()
}

/// Decodes a base64 field of a response.
func decodeBase64(_ value: Any?) -> String? {
    guard let text = value as? String, let data = Data(base64Encoded: text) else { return nil }
    return String(decoding: data, as: UTF8.self)
}

struct GatewayTestError: Error, CustomStringConvertible {
    var description: String
}
