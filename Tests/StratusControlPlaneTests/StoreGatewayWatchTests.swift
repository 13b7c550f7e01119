import Foundation
import StratusControlPlane
import StratusHTTP
import StratusStore
import StratusTestSupport
import Testing

/// `/v3/watch` on raw HTTP: the stream of `{"result": ...}` lines, watch ids,
/// cancel and progress requests, filters, compaction and disconnects.
@Suite struct StoreGatewayWatchTests {
    @Test func createdThenEventsPerRevision() async throws {
        try await withGateway { peer, http in
            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("other"))"}"#)
            let watch = try await WatchClient.open(peer.url, client: http.client, first: #"{"create_request": {"key": "\#(base64("w/"))", "range_end": "\#(base64("w0"))"}}"#)
            #expect(watch.status == 200)

            let created = try await watch.nextResult()
            #expect(created["created"] as? Bool == true)
            #expect(created["watch_id"] == nil, "the first watch has id 0, which is left out")
            #expect((created["header"] as? [String: Any])?["revision"] as? String == "1")

            let transaction = #"{"success": [{"request_put": {"key": "\#(base64("w/a"))", "value": "\#(base64("1"))"}}, {"request_put": {"key": "\#(base64("w/b"))", "value": "\#(base64("2"))"}}]}"#
            _ = try await http.post("/v3/kv/txn", transaction)
            _ = try await http.post("/v3/kv/deleterange", #"{"key": "\#(base64("w/a"))"}"#)

            let both = try await watch.nextResult()
            let events = both["events"] as? [[String: Any]] ?? []
            #expect(events.count == 2, "one transaction's events arrive in one response: \(both)")
            #expect(events.map { decodeBase64(($0["kv"] as? [String: Any])?["key"]) } == ["w/a", "w/b"])
            #expect(events.allSatisfy { $0["type"] == nil }, "a put's type (0) is left out")
            #expect((both["header"] as? [String: Any])?["revision"] as? String == "2")

            let deletion = try await watch.nextResult()
            let deleted = (deletion["events"] as? [[String: Any]])?.first ?? [:]
            #expect(deleted["type"] as? String == "DELETE")
            #expect((deleted["kv"] as? [String: Any])?.keys.sorted() == ["key", "mod_revision"])
            watch.close()
        }
    }

    @Test func pastRevisionWithFiltersAndPreviousValues() async throws {
        try await withGateway { peer, http in
            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("k"))", "value": "\#(base64("1"))"}"#)
            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("k"))", "value": "\#(base64("2"))"}"#)
            _ = try await http.post("/v3/kv/deleterange", #"{"key": "\#(base64("k"))"}"#)

            let first = #"{"create_request": {"key": "\#(base64("k"))", "start_revision": 1, "prev_kv": true, "filters": ["NOPUT"]}}"#
            let watch = try await WatchClient.open(peer.url, client: http.client, first: first)
            _ = try await watch.nextResult()
            let result = try await watch.nextResult()
            let events = result["events"] as? [[String: Any]] ?? []
            #expect(events.count == 1, "NOPUT leaves only the delete: \(result)")
            #expect(events.first?["type"] as? String == "DELETE")
            #expect(decodeBase64((events.first?["prev_kv"] as? [String: Any])?["value"]) == "2")
            #expect((result["header"] as? [String: Any])?["revision"] as? String == "3")
            watch.close()
        }
    }

    @Test func compactedStartIsCanceled() async throws {
        try await withGateway { peer, http in
            for value in ["1", "2", "3"] {
                _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("k"))", "value": "\#(base64(value))"}"#)
            }
            _ = try await http.post("/v3/kv/compaction", #"{"revision": "3"}"#)

            let watch = try await WatchClient.open(peer.url, client: http.client, first: #"{"create_request": {"key": "\#(base64("k"))", "start_revision": "1"}}"#)
            watch.endBody()
            let created = try await watch.nextResult()
            #expect(created["created"] as? Bool == true)
            let canceled = try await watch.nextResult()
            #expect(canceled["canceled"] as? Bool == true)
            #expect(canceled["compact_revision"] as? String == "3")
            #expect((canceled["header"] as? [String: Any])?["revision"] == nil, "etcd leaves the revision out of this header")
            #expect(try await watch.nextLine() == nil, "with the body ended and no watch left, the response ends")
        }
    }

    @Test func watchIDsCancelAndProgress() async throws {
        try await withGateway { peer, http in
            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("seed"))"}"#)
            let watch = try await WatchClient.open(peer.url, client: http.client, first: #"{"create_request": {"key": "\#(base64("x"))"}}"#)
            watch.send(#"{"create_request": {"key": "\#(base64("x"))", "watch_id": "7"}}"#)
            watch.send(#"{"create_request": {"key": "\#(base64("x"))", "watch_id": 7}}"#)
            watch.send(#"{"progress_request": {}}"#)
            watch.send(#"{"cancel_request": {"watch_id": "7"}}"#)
            watch.send(#"{"cancel_request": {"watch_id": "12"}}"#)

            let first = try await watch.nextResult()
            #expect(first["created"] as? Bool == true)
            #expect(first["watch_id"] == nil)
            let second = try await watch.nextResult()
            #expect(second["created"] as? Bool == true)
            #expect(second["watch_id"] as? String == "7")
            let duplicate = try await watch.nextResult()
            #expect(duplicate["created"] as? Bool == true)
            #expect(duplicate["canceled"] as? Bool == true)
            #expect((duplicate["cancel_reason"] as? String)?.contains("7") == true)
            let progress = try await watch.nextResult()
            #expect(progress["watch_id"] as? String == "-1")
            #expect((progress["header"] as? [String: Any])?["revision"] as? String == "1")
            let canceled = try await watch.nextResult()
            #expect(canceled["watch_id"] as? String == "7")
            #expect(canceled["canceled"] as? Bool == true)

            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("x"))", "value": "\#(base64("v"))"}"#)
            let event = try await watch.nextResult()
            #expect(event["watch_id"] == nil, "only watch 0 is left: \(event)")
            #expect((event["events"] as? [Any])?.count == 1)
            watch.close()
        }
    }

    @Test func progressNotifyWhileQuiet() async throws {
        try await withGateway(configure: { $0.progressNotifyInterval = .milliseconds(50) }) { peer, http in
            _ = try await http.post("/v3/kv/put", #"{"key": "\#(base64("seed"))"}"#)
            let watch = try await WatchClient.open(peer.url, client: http.client, first: #"{"create_request": {"key": "\#(base64("q"))", "progress_notify": true}}"#)
            _ = try await watch.nextResult()
            let progress = try await watch.nextResult()
            #expect(progress["events"] == nil)
            #expect(progress["created"] == nil)
            #expect((progress["header"] as? [String: Any])?["revision"] as? String == "1", "the watch delivered everything through revision 1")
            watch.close()
        }
    }

    @Test func clientCloseEndsWatch() async throws {
        try await withGateway { peer, http in
            let watch = try await WatchClient.open(peer.url, client: http.client, first: #"{"create_request": {"key": "\#(base64("c"))"}}"#)
            _ = try await watch.nextResult()
            #expect(peer.connectionCount >= 1)

            watch.close()
            let closed = try await eventually { peer.connectionCount == 0 }
            #expect(closed, "the server kept the watch connection open after the client closed it")
            let put = try await http.post("/v3/kv/put", #"{"key": "\#(base64("c"))"}"#)
            #expect(put.status == 200)
        }
    }

    @Test func badFirstMessageGets400() async throws {
        try await withGateway { _, http in
            let cases = [
                (#"{"create_request": {"key": 5}}"#, "create_request.key"),
                (#"{"create_request": {}}"#, "missing watch key"),
                (#"{"create_request": {"key": "YQ==", "filters": ["NOBODY"]}}"#, "create_request.filters[0]"),
                (#"{"watch": {}}"#, "create_request"),
                ("", "missing watch request"),
                (#"{"create_request": "#, "invalid JSON"),
            ]
            for (body, named) in cases {
                let reply = try await http.post("/v3/watch", body)
                #expect(reply.status == 400, "\(body): \(reply.text)")
                #expect(reply.code == 3, "\(body): \(reply.text)")
                #expect(reply.message.contains(named), "\(body): \(reply.message)")
            }
        }
    }

    @Test func badLaterMessageEndsStream() async throws {
        try await withGateway { peer, http in
            let watch = try await WatchClient.open(peer.url, client: http.client, first: #"{"create_request": {"key": "\#(base64("b"))"}}"#)
            _ = try await watch.nextResult()
            watch.send(#"{"cancel_request": {"watch_id": "zero"}}"#)
            let line = try #require(try await watch.nextLine())
            let error = line["error"] as? [String: Any] ?? [:]
            #expect(error["grpc_code"] as? Int == 3)
            #expect((error["message"] as? String)?.contains("cancel_request.watch_id") == true, "\(error)")
            #expect(try await watch.nextLine() == nil)
        }
    }
}

/// Polls `condition` every 20 ms until it is true or `limit` passes, and
/// returns its last value. For state that has no event to await, such as
/// the server's connection count.
func eventually(within limit: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
