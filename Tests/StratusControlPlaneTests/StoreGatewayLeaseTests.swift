import Foundation
import StratusControlPlane
import StratusHTTP
import StratusStore
import StratusTestSupport
import Testing

/// The lease endpoints on raw HTTP, with the responses etcd 3.4 gives for a
/// lease that does not exist.
@Suite struct StoreGatewayLeaseTests {
    @Test func grantTimeToLiveAndRevoke() async throws {
        try await withGateway { _, http in
            let grant = try await http.post("/v3/lease/grant", #"{"TTL": 30}"#)
            #expect(grant.status == 200)
            let id = try #require(grant.object["ID"] as? String)
            #expect(grant.object["TTL"] as? String == "30")
            #expect(grant.object("header")["cluster_id"] as? String == "1")

            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("b"))", "lease": "\#(id)"}"#)
            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("a"))", "lease": \#(id)}"#)

            for path in ["/v3/lease/timetolive", "/v3/kv/lease/timetolive"] {
                let status = try await http.post(path, #"{"ID": "\#(id)", "keys": true}"#)
                #expect(status.status == 200, "\(path)")
                #expect(status.object["ID"] as? String == id)
                #expect(status.object["grantedTTL"] as? String == "30")
                let remaining = Int(status.object["TTL"] as? String ?? "") ?? 0
                #expect((1...30).contains(remaining), "\(path) remaining TTL \(remaining)")
                #expect((status.object["keys"] as? [Any])?.compactMap(decodeBase64) == ["a", "b"])
            }

            let revoke = try await http.post("/v3/kv/lease/revoke", #"{"ID": "\#(id)"}"#)
            #expect(revoke.status == 200)
            #expect(revoke.object("header")["revision"] as? String == "3", "the revoke deletes both keys in one revision")
            #expect(try await http.storeState().count == 0)
        }
    }

    @Test func missingLeaseAnswersAsEtcd() async throws {
        try await withGateway { _, http in
            for path in ["/v3/lease/revoke", "/v3/kv/lease/revoke"] {
                let revoke = try await http.post(path, #"{"ID": "999"}"#)
                #expect(revoke.status == 404, "\(path)")
                #expect(revoke.text == #"{"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5}"#)
            }

            let status = try await http.post("/v3/lease/timetolive", #"{"ID": "999"}"#)
            #expect(status.status == 200)
            #expect(status.object["TTL"] as? String == "-1")
            #expect(status.object["ID"] as? String == "999")

            let keepAlive = try await http.post("/v3/lease/keepalive", #"{"ID": "999"}"#)
            #expect(keepAlive.status == 200)
            #expect(keepAlive.object("result")["ID"] as? String == "999")
            #expect(keepAlive.object("result")["TTL"] == nil, "a missing lease has TTL 0, which is left out")
        }
    }

    @Test func grantWithIdentifierInUse() async throws {
        try await withGateway { _, http in
            let first = try await http.post("/v3/lease/grant", #"{"TTL": "30", "ID": "77"}"#)
            #expect(first.object["ID"] as? String == "77")
            let second = try await http.post("/v3/lease/grant", #"{"TTL": "30", "ID": "77"}"#)
            #expect(second.status == 412)
            #expect(second.text == #"{"error":"etcdserver: lease already exists","message":"etcdserver: lease already exists","code":9}"#)
        }
    }

    /// A keep-alive body may hold several requests; each gets one line.
    @Test func keepAliveStreamsOneLinePerRequest() async throws {
        try await withGateway { _, http in
            let grant = try await http.post("/v3/lease/grant", #"{"TTL": 40}"#)
            let id = try #require(grant.object["ID"] as? String)
            let reply = try await http.post("/v3/lease/keepalive", #"{"ID": "\#(id)"}{"ID": "5"} {"ID": \#(id)}"#)
            #expect(reply.status == 200)
            let lines = reply.text.split(separator: "\n").map { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
            }
            #expect(lines.count == 3, "\(reply.text)")
            let results = lines.map { $0["result"] as? [String: Any] ?? [:] }
            #expect(results.map { $0["TTL"] as? String } == ["40", nil, "40"])
            #expect(results.map { $0["ID"] as? String } == [id, "5", id])
        }
    }

    @Test func keepAliveBadLaterMessageEndsStream() async throws {
        try await withGateway { _, http in
            let grant = try await http.post("/v3/lease/grant", #"{"TTL": 40}"#)
            let id = try #require(grant.object["ID"] as? String)
            let reply = try await http.post("/v3/lease/keepalive", #"{"ID": "\#(id)"} {"ID": "x"} {"ID": "\#(id)"}"#)
            let lines = reply.text.split(separator: "\n")
            #expect(lines.count == 2, "\(reply.text)")
            let error = (try? JSONSerialization.jsonObject(with: Data(lines.last.map { Array($0.utf8) } ?? []))) as? [String: Any]
            let status = error?["error"] as? [String: Any] ?? [:]
            #expect(status["grpc_code"] as? Int == 3)
            #expect(status["http_code"] as? Int == 400)
            #expect((status["message"] as? String)?.contains("\"x\"") == true, "\(status)")
        }
    }

    @Test func keepAliveBadFirstMessageGets400() async throws {
        try await withGateway { _, http in
            let reply = try await http.post("/v3/lease/keepalive", #"{"ID": [1]}"#)
            #expect(reply.status == 400)
            #expect(reply.code == 3)
            #expect(reply.message.contains("ID"), "\(reply.message)")
        }
    }
}
