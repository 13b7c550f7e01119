import StratusHTTP
import Testing

/// Streams a gibibyte through the server in each direction and checks that
/// the process's resident memory stays flat, which backpressure guarantees.
@Suite("Server large bodies", .serialized)
struct ServerLargeBodyTests {
    static let totalBytes = 1 << 30
    static let writeSize = 64 << 10
    /// Growth of the resident set allowed during a transfer. Buffers are at
    /// most a few MiB, and other tests running in parallel add a little.
    static let maxGrowth = 64 << 20

    @Test("1 GiB upload counted", .timeLimit(.minutes(2)))
    func oneGibibyteUploadCounted() async throws {
        try await withServer(configure: { $0.limits.maxBodySize = Int64(Self.totalBytes) }, handler: { request, _ in
            var count = 0
            for try await chunk in request.body {
                count += chunk.count
            }
            return Response.text("\(count)")
        }) { server in
            let client = try await server.connect(timeout: .seconds(30))
            let baseline = try residentMemory()
            let sampler = MemorySampler()
            sampler.start()
            let clock = ContinuousClock()
            let start = clock.now

            try await client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: \(Self.totalBytes)\r\n\r\n")
            let block = patternBytes(Self.writeSize)
            try await runBlocking {
                for _ in 0..<(Self.totalBytes / Self.writeSize) {
                    try client.sendNow(block)
                }
            }
            let response = try await client.readResponse()

            let elapsed = clock.now - start
            let peak = sampler.stop()
            print("1 GiB upload: \(elapsed), resident memory grew by \((peak - baseline) >> 20) MiB")
            #expect(response.status == 200)
            #expect(response.text == "\(Self.totalBytes)")
            #expect(peak - baseline < Self.maxGrowth)
        }
    }

    @Test("1 GiB chunked download", .timeLimit(.minutes(2)))
    func oneGibibyteChunkedDownload() async throws {
        let block = patternBytes(Self.writeSize)
        try await withServer(handler: { _, _ in
            Response(body: OutgoingBody { writer in
                for _ in 0..<(Self.totalBytes / Self.writeSize) {
                    try await writer.write(block)
                }
            })
        }) { server in
            let client = try await server.connect(timeout: .seconds(30))
            let baseline = try residentMemory()
            let sampler = MemorySampler()
            sampler.start()
            let clock = ContinuousClock()
            let start = clock.now

            try await client.send("GET /download HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await client.readResponse(countBodyOnly: true)

            let elapsed = clock.now - start
            let peak = sampler.stop()
            print("1 GiB download: \(elapsed), resident memory grew by \((peak - baseline) >> 20) MiB")
            #expect(response.status == 200)
            #expect(response.isChunked)
            #expect(response.bodyCount == Self.totalBytes)
            #expect(peak - baseline < Self.maxGrowth)
        }
    }
}
