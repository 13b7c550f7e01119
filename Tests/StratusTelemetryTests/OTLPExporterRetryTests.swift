import StratusHTTP
import StratusNet
@testable import StratusTelemetry
import Synchronization
import Testing

@Suite struct OTLPExporterRetryTests {
    /// Creates an exporter aimed at `endpoint` whose retry waits are recorded, not slept.
    private func makeExporter(
        endpoint: String,
        maxAttempts: Int = 5,
        encoding: OTLPEncoding = .protobuf,
        delays: DelayRecorder
    ) -> (OTLPHTTPSpanExporter, HTTPClient) {
        var configuration = OTLPHTTPSpanExporter.Configuration(endpoint: endpoint, encoding: encoding)
        configuration.retry.maxAttempts = maxAttempts
        configuration.timeout = .seconds(5)
        let client = HTTPClient(group: TracingTestGroup.shared)
        let exporter = OTLPHTTPSpanExporter(
            resource: TracingResource(serviceName: "retry-test"),
            configuration: configuration,
            client: client,
            logger: tracingTestLogger,
            sleep: { delay in delays.record(delay) }
        )
        return (exporter, client)
    }

    @Test func retriesUnavailableThenSucceeds() async throws {
        let receiver = try await OTLPTestReceiver.start(replies: [.init(status: 503), .init(status: 503)])
        let delays = DelayRecorder()
        let (exporter, client) = makeExporter(endpoint: receiver.endpoint, delays: delays)
        try await exporter.export([makeTestSpanData()])
        #expect(receiver.requestCount == 3)
        #expect(exporter.attemptCount == 3)
        #expect(exporter.exportedSpanCount == 1)
        #expect(delays.recorded.count == 2)
        client.shutdown()
        await receiver.stop()
    }

    @Test func badRequestIsNotRetried() async throws {
        let receiver = try await OTLPTestReceiver.start(replies: [.init(status: 400)])
        let delays = DelayRecorder()
        let (exporter, client) = makeExporter(endpoint: receiver.endpoint, delays: delays)
        await #expect(throws: OTLPExportError.self) {
            try await exporter.export([makeTestSpanData()])
        }
        #expect(receiver.requestCount == 1)
        #expect(exporter.failedSpanCount == 1)
        #expect(delays.recorded.isEmpty)
        client.shutdown()
        await receiver.stop()
    }

    @Test func rejectionCarriesStatus() async throws {
        let receiver = try await OTLPTestReceiver.start(replies: [.init(status: 404)])
        let (exporter, client) = makeExporter(endpoint: receiver.endpoint, delays: DelayRecorder())
        do {
            try await exporter.export([makeTestSpanData()])
            Issue.record("export succeeded against a 404")
        } catch let error as OTLPExportError {
            #expect(error.code == .rejected)
            #expect(error.status == 404)
        }
        client.shutdown()
        await receiver.stop()
    }

    @Test func honorsRetryAfter() async throws {
        let receiver = try await OTLPTestReceiver.start(replies: [.init(status: 429, headers: ["Retry-After": "2"])])
        let delays = DelayRecorder()
        let (exporter, client) = makeExporter(endpoint: receiver.endpoint, delays: delays)
        try await exporter.export([makeTestSpanData()])
        #expect(receiver.requestCount == 2)
        #expect(delays.recorded == [.seconds(2)])
        client.shutdown()
        await receiver.stop()
    }

    @Test func stopsAfterMaxAttempts() async throws {
        let replies = Array(repeating: OTLPTestReceiver.Reply(status: 502), count: 5)
        let receiver = try await OTLPTestReceiver.start(replies: replies)
        let (exporter, client) = makeExporter(endpoint: receiver.endpoint, maxAttempts: 3, delays: DelayRecorder())
        do {
            try await exporter.export([makeTestSpanData()])
            Issue.record("export succeeded although every reply was 502")
        } catch let error as OTLPExportError {
            #expect(error.code == .retriesExhausted)
        }
        #expect(receiver.requestCount == 3)
        client.shutdown()
        await receiver.stop()
    }

    @Test func retriesConnectionFailure() async throws {
        let socket = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        let port = try #require(try socket.localAddress()?.port)
        socket.close()
        let delays = DelayRecorder()
        let (exporter, client) = makeExporter(endpoint: "http://127.0.0.1:\(port)", maxAttempts: 2, delays: delays)
        await #expect(throws: OTLPExportError.self) {
            try await exporter.export([makeTestSpanData()])
        }
        #expect(exporter.attemptCount == 2)
        #expect(delays.recorded.count == 1)
        client.shutdown()
    }

    @Test func postsProtobufByDefault() async throws {
        let receiver = try await OTLPTestReceiver.start()
        let (exporter, client) = makeExporter(endpoint: receiver.endpoint + "/", delays: DelayRecorder())
        #expect(exporter.configuration.encoding == .protobuf)
        try await exporter.export([makeTestSpanData()])
        #expect(receiver.contentTypes == ["application/x-protobuf"])
        #expect(receiver.bodies == [OTLPProtobufEncoder.encode([makeTestSpanData()], resource: exporter.resource)])
        client.shutdown()
        await receiver.stop()
    }

    @Test func postsJSONWhenConfigured() async throws {
        let receiver = try await OTLPTestReceiver.start()
        let (exporter, client) = makeExporter(endpoint: receiver.endpoint + "/", encoding: .json, delays: DelayRecorder())
        try await exporter.export([makeTestSpanData()])
        #expect(receiver.contentTypes == ["application/json"])
        #expect(receiver.bodies == [OTLPJSONEncoder.encode([makeTestSpanData()], resource: exporter.resource)])
        client.shutdown()
        await receiver.stop()
    }
}

/// Retry waits requested by an exporter under test.
final class DelayRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])

    var recorded: [Duration] { delays.withLock { $0 } }

    func record(_ delay: Duration) {
        delays.withLock { $0.append(delay) }
    }
}

@Suite struct OTLPRetryPolicyTests {
    @Test func backoffGrowsWithJitter() throws {
        let policy = OTLPRetryPolicy()
        var generator = SplitMix64(seed: 7)
        for _ in 0..<100 {
            let first = try #require(policy.delay(afterAttempt: 1, retryAfter: nil, using: &generator))
            let third = try #require(policy.delay(afterAttempt: 3, retryAfter: nil, using: &generator))
            #expect(first >= .milliseconds(500))
            #expect(first <= .seconds(1))
            #expect(third >= .seconds(2))
            #expect(third <= .seconds(4))
        }
    }

    @Test func backoffIsCapped() throws {
        var policy = OTLPRetryPolicy()
        policy.maxAttempts = 100
        var generator = SplitMix64(seed: 7)
        let delay = try #require(policy.delay(afterAttempt: 60, retryAfter: nil, using: &generator))
        #expect(delay <= policy.maxBackoff)
    }

    @Test func retryAfterIsCapped() {
        var generator = SplitMix64(seed: 7)
        let delay = OTLPRetryPolicy().delay(afterAttempt: 1, retryAfter: .seconds(3600), using: &generator)
        #expect(delay == .seconds(30))
    }

    @Test func lastAttemptHasNoDelay() {
        var generator = SplitMix64(seed: 7)
        #expect(OTLPRetryPolicy().delay(afterAttempt: 5, retryAfter: nil, using: &generator) == nil)
    }

    @Test func parsesRetryAfterSeconds() {
        #expect(OTLPRetryPolicy.parseRetryAfter(" 7 ") == .seconds(7))
        #expect(OTLPRetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(OTLPRetryPolicy.parseRetryAfter("-1") == nil)
        #expect(OTLPRetryPolicy.parseRetryAfter(nil) == nil)
    }
}
