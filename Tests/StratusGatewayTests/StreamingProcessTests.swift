import Foundation
import StratusHTTP
import StratusTestSupport
import Testing

/// Bodies stream through the gateway in both directions without being
/// held in memory, chunked bodies pass, and WebSocket upgrades pass.
@Suite(.serialized) struct StreamingProcessTests {
    static func config(_ endpoint: String, routes: String = "") -> String {
        """
        settings:
          accessLog: false
          maxBodySize: 4294967296
        upstreams:
          - name: echo
            endpoints: ["\(endpoint)"]
        routes:
          - name: all
            match: {prefix: /}
            upstream: echo
        \(routes)
        """
    }

    /// Samples the gateway's resident memory while `body` runs and returns
    /// the largest growth over the value before.
    private func peakGrowth(of gateway: GatewayProcess, during body: () async throws -> Void) async throws -> Int {
        let before = gateway.residentBytes()
        let sampling = Task {
            var peak = 0
            while !Task.isCancelled {
                peak = max(peak, gateway.residentBytes())
                try? await Task.sleep(for: .milliseconds(50))
            }
            return peak
        }
        try await body()
        sampling.cancel()
        return max(0, await sampling.value - before)
    }

    /// MiB per second of the 1 GiB transfers: at full speed they take both
    /// cores from the suites that run beside this one, whose timeouts then
    /// pass. At this rate each direction takes about seven seconds.
    static let transferRate = "150"

    /// The upstream and the client are Python processes, so that moving
    /// 2 GiB loads no thread of the test process, which other suites share,
    /// and every process of the transfer runs at the lowest CPU priority.
    @Test(.disabled(if: PythonPeer.isMissing, "python3 is not installed"))
    func gibibyteDownloadAndUploadKeepMemoryFlat() async throws {
        let (server, port) = try await PythonPeer.startServer("bulk_peer.py", ["serve"])
        defer { server.stop() }
        let gateway = try await GatewayProcess(yaml: Self.config("127.0.0.1:\(port)"))
        defer { gateway.stop() }
        let gatewayPort = try #require(gateway.url.split(separator: ":").last.map(String.init))
        lowerPriority(of: server.pid)
        lowerPriority(of: gateway.pid)
        let size = String(1 << 30)
        var download = ""
        let downloadGrowth = try await peakGrowth(of: gateway) {
            download = try await PythonPeer.run("bulk_peer.py", ["download", gatewayPort, size, Self.transferRate], lowPriority: true).output
        }
        #expect(download.contains("status 200 received \(size)"), "\(download)")
        var upload = ""
        let uploadGrowth = try await peakGrowth(of: gateway) {
            upload = try await PythonPeer.run("bulk_peer.py", ["upload", gatewayPort, size, Self.transferRate], lowPriority: true).output
        }
        #expect(upload.contains("status 200 received \(size)"), "\(upload)")
        // A buffered gigabyte would show as 1 GiB of growth; streaming keeps
        // a few megabytes of buffers per connection.
        #expect(downloadGrowth < 128 << 20, "resident memory grew by \(downloadGrowth) bytes during a 1 GiB download")
        #expect(uploadGrowth < 128 << 20, "resident memory grew by \(uploadGrowth) bytes during a 1 GiB upload")
    }

    @Test func chunkedBodiesPassBothWays() async throws {
        let upstream = try await EchoUpstream.start()
        let gateway = try await GatewayProcess(yaml: Self.config(upstream.endpoint))
        defer { gateway.stop() }
        let response = try await gateway.client.execute(HTTPClientRequest(url: gateway.url + "/chunked?chunks=50"))
        #expect(response.headers["Content-Length"] == nil)
        let body = try await response.body.collect(upTo: 1 << 20)
        #expect(body == Array(String(repeating: "chunk\n", count: 50).utf8))

        let port = try #require(Int(gateway.url.split(separator: ":").last!))
        let connection = try RawConnection(port: port)
        connection.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
        let (text, _) = try await blocking { connection.readAll() }
        #expect(text.hasPrefix("HTTP/1.1 200 "))
        #expect(text.hasSuffix("\r\n\r\n11"), "\(text)")
        await upstream.stop()
    }

    @Test func bodyLimitsAnswer413() async throws {
        let upstream = try await EchoUpstream.start()
        let gateway = try await GatewayProcess(yaml: Self.config(upstream.endpoint).replacingOccurrences(of: "maxBodySize: 4294967296", with: "maxBodySize: 1000"))
        defer { gateway.stop() }
        let (declared, _) = try await gateway.send("/upload", method: .post, body: [UInt8](repeating: 1, count: 2000))
        #expect(declared.status == .contentTooLarge)
        let body = OutgoingBody { writer in
            for _ in 0..<10 { try await writer.write([UInt8](repeating: 1, count: 500)) }
        }
        let (streamed, _) = try await gateway.client.execute(HTTPClientRequest(method: .post, url: gateway.url + "/upload", body: body), collectingUpTo: 4096)
        #expect(streamed.status == .contentTooLarge)
        let (small, text) = try await gateway.send("/upload", method: .post, body: [UInt8](repeating: 1, count: 1000))
        #expect(small.status == .ok)
        #expect(text == "1000")
        await upstream.stop()
    }

    @Test(.disabled(if: PythonPeer.isMissing, "python3 is not installed"))
    func webSocketPassesThrough() async throws {
        let (server, port) = try await PythonPeer.startServer("websocket_peer.py", ["serve"])
        defer { server.stop() }
        let gateway = try await GatewayProcess(yaml: Self.config("127.0.0.1:\(port)"))
        defer { gateway.stop() }
        let gatewayPort = try #require(gateway.url.split(separator: ":").last.map(String.init))
        let result = try await PythonPeer.run("websocket_peer.py", ["client", gatewayPort, "/chat", "20"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("ok 20"))
    }
}
