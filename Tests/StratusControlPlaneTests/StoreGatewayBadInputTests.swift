import StratusControlPlane
import StratusTestSupport
import Testing

/// Bad input gets 400 with etcd's error body shape, code 3 (InvalidArgument)
/// and a message that names the field and the value, and stores nothing.
@Suite struct StoreGatewayBadInputTests {
    /// A request, and the words its error message must contain.
    struct BadRequest: Sendable, CustomTestStringConvertible {
        var path: String
        var body: String
        var named: [String]

        var testDescription: String { "\(path) \(body)" }
    }

    static let badRequests = [
        BadRequest(path: "/v3/kv/put", body: #"{"key": "YQ==", "value": "#, named: ["invalid JSON", "send one JSON object"]),
        BadRequest(path: "/v3/kv/put", body: #"{"key": 'YQ=='}"#, named: ["invalid JSON"]),
        BadRequest(path: "/v3/kv/put", body: #"["YQ=="]"#, named: ["an array", "send one JSON object"]),
        BadRequest(path: "/v3/kv/put", body: #"{"key": 5, "value": "MQ=="}"#, named: ["key", "5", "base64"]),
        BadRequest(path: "/v3/kv/put", body: #"{"key": "not base64!", "value": "MQ=="}"#, named: ["key", "\"not base64!\"", "base64"]),
        BadRequest(path: "/v3/kv/put", body: #"{"key": "YQ==", "prev_kv": "yes"}"#, named: ["prev_kv", "\"yes\"", "boolean"]),
        BadRequest(path: "/v3/kv/put", body: #"{"key": "YQ==", "lease": "abc"}"#, named: ["lease", "\"abc\"", "int64"]),
        BadRequest(path: "/v3/kv/put", body: #"{"key": "YQ==", "lease": 1.5}"#, named: ["lease", "1.5", "int64"]),
        BadRequest(path: "/v3/kv/put", body: #"{"key": "", "value": "MQ=="}"#, named: ["missing put key"]),
        BadRequest(path: "/v3/kv/put", body: #"{"value": "MQ=="}"#, named: ["missing put key"]),
        BadRequest(path: "/v3/kv/put", body: #"{"key": "YQ==", "lease": "-4"}"#, named: ["lease", "-4"]),
        BadRequest(path: "/v3/kv/range", body: #"{"key": "YQ==", "limit": "x"}"#, named: ["limit", "\"x\"", "int64"]),
        BadRequest(path: "/v3/kv/range", body: #"{"key": "YQ==", "limit": -1}"#, named: ["limit", "-1"]),
        BadRequest(path: "/v3/kv/range", body: #"{"key": "YQ==", "sort_order": "SIDEWAYS"}"#, named: ["sort_order", "SIDEWAYS", "ASCEND"]),
        BadRequest(path: "/v3/kv/range", body: #"{"key": "Yg==", "range_end": "YQ=="}"#, named: ["interval", "\"b\"", "\"a\""]),
        BadRequest(path: "/v3/kv/range", body: "", named: ["missing range key"]),
        BadRequest(path: "/v3/kv/deleterange", body: #"{"key": ""}"#, named: ["missing delete key"]),
        BadRequest(path: "/v3/kv/txn", body: #"{"compare": [{"key": "YQ==", "target": "BOGUS"}]}"#, named: ["compare[0].target", "BOGUS", "VERSION"]),
        BadRequest(path: "/v3/kv/txn", body: #"{"compare": [{"key": "YQ==", "result": 9}]}"#, named: ["compare[0].result", "9"]),
        BadRequest(path: "/v3/kv/txn", body: #"{"compare": "YQ=="}"#, named: ["compare", "an array"]),
        BadRequest(path: "/v3/kv/txn", body: #"{"success": [{}]}"#, named: ["success[0]", "request_put"]),
        BadRequest(path: "/v3/kv/txn", body: #"{"success": [{"request_put": {"key": 1}}]}"#, named: ["success[0].request_put.key", "1"]),
        BadRequest(path: "/v3/kv/txn", body: #"{"success": [{"request_put": {"key": "YQ=="}}, {"request_put": {"key": "YQ=="}}]}"#, named: ["\"a\"", "twice"]),
        BadRequest(path: "/v3/kv/compaction", body: #"{"revision": "0"}"#, named: ["compaction revision 0"]),
        BadRequest(path: "/v3/lease/grant", body: #"{"TTL": "-5"}"#, named: ["TTL -5", "positive"]),
        BadRequest(path: "/v3/lease/grant", body: #"{"TTL": 0}"#, named: ["TTL 0", "positive"]),
        BadRequest(path: "/v3/lease/grant", body: #"{"TTL": true}"#, named: ["TTL", "true", "int64"]),
        BadRequest(path: "/v3/lease/grant", body: #"{"TTL": "30", "ID": "-2"}"#, named: ["lease id -2"]),
        BadRequest(path: "/v3/lease/timetolive", body: #"{"ID": "1", "keys": 1}"#, named: ["keys", "boolean"]),
    ]

    @Test(arguments: badRequests)
    func badRequestGets400(_ bad: BadRequest) async throws {
        try await withGateway { _, http in
            let before = try await http.storeState()
            let reply = try await http.post(bad.path, bad.body)

            #expect(reply.status == 400, "\(reply.text)")
            #expect(reply.contentType == "application/json")
            #expect(reply.code == 3, "\(reply.text)")
            #expect(reply.object["error"] as? String == reply.message, "error and message carry the same text, as in etcd")
            for word in bad.named {
                #expect(reply.message.contains(word), "message \"\(reply.message)\" does not name \(word)")
            }
            let after = try await http.storeState()
            #expect(after.count == before.count, "a rejected request stored a key")
            #expect(after.revision == before.revision, "a rejected request changed the revision")
        }
    }

    @Test func badTransactionWritesNothing() async throws {
        try await withGateway { _, http in
            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("kept"))", "value": "\#(base64("1"))"}"#)
            // The second operation is invalid, so the first must not apply either.
            let body = #"{"success": [{"request_put": {"key": "\#(base64("new"))"}}, {"request_delete_range": {"key": ""}}]}"#
            let reply = try await http.post("/v3/kv/txn", body)
            #expect(reply.status == 400)
            #expect(reply.message.contains("missing delete key"), "\(reply.message)")
            let state = try await http.storeState()
            #expect(state.count == 1)
            #expect(state.revision == "1")
        }
    }

    @Test func oversizedBodyRejected() async throws {
        try await withGateway(configure: { $0.maxRequestSize = 1024 }) { _, http in
            let value = String(repeating: "A", count: 2048)
            let reply = try await http.post("/v3/kv/put", #"{"key": "YQ==", "value": "\#(value)"}"#)
            #expect(reply.status == 400)
            #expect(reply.code == 3)
            #expect(reply.message.contains("1024 bytes"), "\(reply.message)")
            #expect(try await http.storeState().count == 0)
        }
    }
}
