import Foundation
import StratusControlPlane
import StratusStore
import StratusTestSupport
import Testing

/// The wire format of the key-value endpoints, checked on raw HTTP: etcd's
/// field names, int64 fields as strings, base64 bytes, zero fields left out,
/// and the header on every response.
@Suite struct StoreGatewayKeyValueTests {
    @Test func putAndRangeWireFormat() async throws {
        try await withGateway { _, http in
            let put = try await http.post("/v3/kv/put", #"{"key": "\#(base64("a"))", "value": "\#(base64("1"))"}"#)
            #expect(put.status == 200)
            #expect(put.contentType == "application/json")
            #expect(put.text == #"{"header":{"cluster_id":"1","member_id":"1","revision":"1","raft_term":"1"}}"#)

            let range = try await http.post("/v3/kv/range", #"{"key": "\#(base64("a"))"}"#)
            #expect(range.status == 200)
            #expect(range.text == #"{"header":{"cluster_id":"1","member_id":"1","revision":"1","raft_term":"1"},"kvs":[{"key":"YQ==","create_revision":"1","mod_revision":"1","version":"1","value":"MQ=="}],"count":"1"}"#)

            let missing = try await http.post("/v3/kv/range", #"{"key": "\#(base64("b"))"}"#)
            #expect(missing.text == #"{"header":{"cluster_id":"1","member_id":"1","revision":"1","raft_term":"1"}}"#, "an empty range leaves kvs and count out")
        }
    }

    @Test func headerUsesConfiguredIDs() async throws {
        try await withGateway(configure: { configuration in
            configuration.clusterID = 15_118_495_548_433_857_066
            configuration.memberID = 7
            configuration.raftTerm = 3
        }) { _, http in
            let reply = try await http.post("/v3/kv/put", #"{"key": "\#(base64("a"))"}"#)
            #expect(reply.object("header")["cluster_id"] as? String == "15118495548433857066")
            #expect(reply.object("header")["member_id"] as? String == "7")
            #expect(reply.object("header")["raft_term"] as? String == "3")
        }
    }

    @Test func numbersAcceptedForInt64Fields() async throws {
        try await withGateway { _, http in
            for name in ["a", "b", "c"] {
                _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64(name))", "value": "\#(base64(name))"}"#)
            }
            let reply = try await http.post("/v3/kv/range", #"{"key": "\#(base64("a"))", "range_end": "\#(base64("z"))", "limit": 2, "revision": 3}"#)
            #expect(reply.status == 200)
            #expect((reply.object["kvs"] as? [Any])?.count == 2)
            #expect(reply.object["more"] as? Bool == true)
            #expect(reply.object["count"] as? String == "3")
        }
    }

    @Test func putReturnsPreviousValueWithLease() async throws {
        try await withGateway { _, http in
            let grant = try await http.post("/v3/lease/grant", #"{"TTL": "60", "ID": "4660"}"#)
            #expect(grant.object["ID"] as? String == "4660")
            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("k"))", "value": "\#(base64("1"))", "lease": "4660"}"#)
            let reply = try await http.post("/v3/kv/put", #"{"key": "\#(base64("k"))", "value": "\#(base64("2"))", "prev_kv": true}"#)
            let previous = reply.object("prev_kv")
            #expect(decodeBase64(previous["value"]) == "1")
            #expect(previous["lease"] as? String == "4660")
            #expect(previous["version"] as? String == "1")
        }
    }

    @Test func deleteRangeCountsAndOmitsZero() async throws {
        try await withGateway { _, http in
            for name in ["p/a", "p/b", "q"] {
                _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64(name))", "value": "\#(base64("v"))"}"#)
            }
            let nothing = try await http.post("/v3/kv/deleterange", #"{"key": "\#(base64("missing"))"}"#)
            #expect(nothing.status == 200)
            #expect(nothing.object["deleted"] == nil, "a delete of no key leaves deleted out, as etcd does")
            #expect(nothing.object("header")["revision"] as? String == "3")

            let prefix = try await http.post("/v3/kv/deleterange", #"{"key": "\#(base64("p/"))", "range_end": "\#(base64("p0"))", "prev_kv": true}"#)
            #expect(prefix.object["deleted"] as? String == "2")
            let previous = prefix.object["prev_kvs"] as? [[String: Any]] ?? []
            #expect(previous.compactMap { decodeBase64($0["key"]) } == ["p/a", "p/b"])
            #expect(prefix.object("header")["revision"] as? String == "4")
        }
    }

    @Test func rangeSortsAndFilters() async throws {
        try await withGateway { _, http in
            // Revisions: a=1, b=2, c=3, then a again at 4.
            for (name, value) in [("a", "3"), ("b", "1"), ("c", "2"), ("a", "4")] {
                _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64(name))", "value": "\#(base64(value))"}"#)
            }
            let all = #""key": "AA==", "range_end": "AA==""#
            func keys(_ options: String) async throws -> [String] {
                let reply = try await http.post("/v3/kv/range", "{\(all), \(options)}")
                #expect(reply.status == 200, "\(options): \(reply.text)")
                return (reply.object["kvs"] as? [[String: Any]] ?? []).compactMap { decodeBase64($0["key"]) }
            }
            #expect(try await keys(#""sort_order": "DESCEND""#) == ["c", "b", "a"])
            #expect(try await keys(#""sort_target": "VALUE""#) == ["b", "c", "a"], "a target without an order sorts ascending")
            #expect(try await keys(#""sort_order": 2, "sort_target": 3, "limit": 2"#) == ["a", "c"], "descending by mod revision, then the limit")
            #expect(try await keys(#""min_mod_revision": "2", "max_mod_revision": "3""#) == ["b", "c"])
            #expect(try await keys(#""min_create_revision": "2""#) == ["b", "c"])

            let limited = try await http.post("/v3/kv/range", "{\(all), \"sort_order\": \"DESCEND\", \"limit\": 1, \"keys_only\": true}")
            #expect(limited.object["more"] as? Bool == true)
            #expect(limited.object["count"] as? String == "3")
            #expect((limited.object["kvs"] as? [[String: Any]])?.first?["value"] == nil, "keys_only leaves the value out")
        }
    }

    @Test func transactionWireFormat() async throws {
        try await withGateway { _, http in
            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("a"))", "value": "\#(base64("1"))"}"#)
            let body = """
                {"compare": [{"key": "\(base64("a"))", "target": "VALUE", "result": "EQUAL", "value": "\(base64("1"))"}],
                 "success": [{"request_put": {"key": "\(base64("b"))", "value": "\(base64("2"))"}},
                             {"request_range": {"key": "\(base64("a"))"}},
                             {"request_delete_range": {"key": "\(base64("z"))"}}],
                 "failure": []}
                """
            let reply = try await http.post("/v3/kv/txn", body)
            #expect(reply.status == 200)
            #expect(reply.text == #"{"header":{"cluster_id":"1","member_id":"1","revision":"2","raft_term":"1"},"succeeded":true,"responses":[{"response_put":{"header":{"revision":"2"}}},{"response_range":{"header":{"revision":"2"},"kvs":[{"key":"YQ==","create_revision":"1","mod_revision":"1","version":"1","value":"MQ=="}],"count":"1"}},{"response_delete_range":{"header":{"revision":"2"}}}]}"#)

            let failed = try await http.post("/v3/kv/txn", #"{"compare": [{"key": "\#(base64("a"))", "target": 0, "result": 1, "version": "5"}], "failure": [{"request_range": {"key": "\#(base64("b"))"}}]}"#)
            #expect(failed.object["succeeded"] == nil, "a failed comparison leaves succeeded out")
            let responses = failed.object["responses"] as? [[String: Any]] ?? []
            #expect(responses.count == 1)
            #expect(responses.first?["response_range"] != nil)
        }
    }

    @Test func compactionErrorsMatchEtcd() async throws {
        try await withGateway { _, http in
            for value in ["1", "2", "3"] {
                _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("k"))", "value": "\#(base64(value))"}"#)
            }
            let compaction = try await http.post("/v3/kv/compaction", #"{"revision": "2"}"#)
            #expect(compaction.status == 200)
            #expect(compaction.object("header")["revision"] as? String == "3")

            let old = try await http.post("/v3/kv/range", #"{"key": "\#(base64("k"))", "revision": "1"}"#)
            #expect(old.status == 400)
            #expect(old.text == #"{"error":"etcdserver: mvcc: required revision has been compacted","message":"etcdserver: mvcc: required revision has been compacted","code":11}"#)

            let again = try await http.post("/v3/kv/compaction", #"{"revision": "2"}"#)
            #expect(again.status == 400)
            #expect(again.code == 11)
            #expect(again.message == GatewayVocabulary.compactedMessage)

            let future = try await http.post("/v3/kv/range", #"{"key": "\#(base64("k"))", "revision": "99"}"#)
            #expect(future.status == 400)
            #expect(future.code == 11)
            #expect(future.message == GatewayVocabulary.futureRevisionMessage)
        }
    }

    @Test func versionAndStatus() async throws {
        try await withGateway { _, http in
            let version = try await http.get("/version")
            #expect(version.object["etcdserver"] as? String == "3.4.0")
            let status = try await http.post("/v3/maintenance/status", "{}")
            #expect(status.object["version"] as? String == "3.4.0")
            #expect(status.object["leader"] as? String == "1")
            #expect(status.object("header")["member_id"] as? String == "1")
        }
    }

    @Test func unsupportedFieldsAnswer501() async throws {
        try await withGateway { _, http in
            let requests = [
                ("/v3/kv/put", #"{"key": "\#(base64("a"))", "ignore_value": true}"#, "ignore_value"),
                ("/v3/kv/txn", #"{"compare": [{"key": "\#(base64("a"))", "range_end": "\#(base64("b"))"}]}"#, "compare[0].range_end"),
                ("/v3/kv/txn", #"{"success": [{"request_txn": {}}]}"#, "success[0].request_txn"),
                ("/v3/lease/leases", "{}", "listing leases"),
            ]
            for (path, body, named) in requests {
                let reply = try await http.post(path, body)
                #expect(reply.status == 501, "\(path) \(body): \(reply.text)")
                #expect(reply.code == 12, "\(path) \(body): \(reply.text)")
                #expect(reply.message.contains(named), "\(path): \(reply.message)")
            }
            #expect(try await http.storeState().count == 0)
        }
    }
}
