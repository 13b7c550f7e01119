import Glibc
@testable import StratusNet
import Testing

@Suite struct TCPConnectionBackpressureTests {
    /// The connection writes far more than its high watermark to a peer that
    /// does not read; small kernel buffers on both ends force partial writes.
    @Test func pausesReadingUntilDrained() async throws {
        let highWatermark = 64 * 1024
        let lowWatermark = 16 * 1024
        try await withConnection(
            highWatermark: highWatermark,
            lowWatermark: lowWatermark,
            connectionSendBuffer: 4096,
            peerReceiveBuffer: 4096
        ) { fixture in
            let connection = fixture.connection
            let loop = fixture.loop
            // Odd chunk sizes, so partial writes end inside a chunk.
            let chunks = (0..<300).map { patternBytes(count: 3001 + $0 % 7, seed: $0) }
            let payload = Array(chunks.joined())

            let writableAfterWrites = await loop.submit {
                for chunk in chunks {
                    connection.write(chunk)
                }
                connection.flush()
                return connection.isWritable
            }
            #expect(!writableAfterWrites)

            // After the flush at tick end, the kernel has taken what fits and the rest stays queued.
            let (writableAfterFlush, pendingAfterFlush) = await loop.submit { (connection.isWritable, connection.pendingBytes) }
            #expect(!writableAfterFlush)
            #expect(pendingAfterFlush > lowWatermark)

            // Input sent now must stay in the kernel while reading is paused.
            let ping = Array("sent while paused".utf8)
            try fixture.peer.writeAll(ping)
            try connection.socket.poll(for: Int16(POLLIN), operation: "see the input on the connection")
            // Two passes through the loop: a readable socket would have been read by now.
            await loop.submit {}
            await loop.submit {}
            #expect(fixture.handler.log.events.isEmpty, "the connection read or reported while paused")
            #expect(connection.socket.unreadByteCount() == ping.count)

            let received = try await onNewThread { try fixture.peer.readBytes(count: payload.count, timeout: .seconds(10)) }
            #expect(received.count == payload.count)
            #expect(firstDifference(received, payload) == nil)

            let resumed = await fixture.handler.log.wait { RecordingHandler.receivedBytes(in: $0) == ping }
            #expect(resumed, "reading did not resume after the output drained")
            let events = fixture.handler.log.events
            #expect(events.filter { $0 == .writable }.count == 1)
            #expect(events.first == .writable, "connectionWritable must come before the resumed input")

            let (pending, written, writable) = await loop.submit {
                (connection.pendingBytes, connection.totalBytesWritten, connection.isWritable)
            }
            #expect(pending == 0)
            #expect(written == payload.count)
            #expect(writable)
        }
    }

    @Test func belowHighWatermarkStaysWritable() async throws {
        try await withConnection(highWatermark: 1000, lowWatermark: 100) { fixture in
            let connection = fixture.connection

            let (atWatermark, overWatermark) = await fixture.loop.submit {
                connection.write(patternBytes(count: 1000))
                let atWatermark = connection.isWritable
                connection.write([0])
                return (atWatermark, connection.isWritable)
            }

            #expect(atWatermark)
            #expect(!overWatermark)

            // Everything fits in the kernel buffer, so one flush drains the queue and resumes at once.
            await fixture.loop.submit { connection.flush() }
            #expect(await fixture.handler.log.wait { $0.contains(.writable) })
            let peerReceived = try await onNewThread { try fixture.peer.readBytes(count: 1001) }
            #expect(peerReceived.count == 1001)
        }
    }

    @Test func setReadingFalseHoldsInput() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection
            await fixture.loop.submit { connection.setReading(false) }

            try fixture.peer.writeAll([1, 2, 3])
            try connection.socket.poll(for: Int16(POLLIN), operation: "see the input on the connection")
            await fixture.loop.submit {}
            await fixture.loop.submit {}
            #expect(fixture.handler.log.events.isEmpty)

            await fixture.loop.submit { connection.setReading(true) }
            #expect(await fixture.handler.log.wait { RecordingHandler.receivedBytes(in: $0) == [1, 2, 3] })
        }
    }
}
