@testable import StratusNet
import Testing

@Suite struct TCPConnectionWriteTests {
    @Test func writesInOneTickArriveTogether() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection
            let message = Array("hello, stratus world".utf8)

            let pendingAtTickEnd = await fixture.loop.submit {
                connection.write(Array("hello, ".utf8))
                connection.write(Array("stratus ".utf8))
                connection.write(Array("world".utf8))
                connection.flush()
                connection.flush()
                return connection.pendingBytes
            }
            let received = try await onNewThread { try fixture.peer.readBytes(count: message.count) }
            let (pending, written) = await fixture.loop.submit { (connection.pendingBytes, connection.totalBytesWritten) }

            #expect(pendingAtTickEnd == message.count, "flush must wait for the end of the tick")
            #expect(received == message)
            #expect(pending == 0)
            #expect(written == message.count)
        }
    }

    @Test func writesWithoutFlushStayQueued() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection

            await fixture.loop.submit { connection.write([1, 2, 3]) }
            await fixture.loop.submit {}
            let pending = await fixture.loop.submit { connection.pendingBytes }

            #expect(pending == 3)
            #expect(fixture.peer.unreadByteCount() == 0)

            await fixture.loop.submit { connection.flushNow() }
            let peerReceived = try await onNewThread { try fixture.peer.readBytes(count: 3) }
            #expect(peerReceived == [1, 2, 3])
        }
    }

    @Test func emptyWriteIsIgnored() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection

            let pending = await fixture.loop.submit {
                connection.write([])
                return connection.pendingBytes
            }

            #expect(pending == 0)
        }
    }

    /// More than 64 chunks, so one flush needs several sendmsg calls.
    @Test func manyChunksArriveInOrder() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection
            let chunks = (0..<300).map { index in patternBytes(count: index % 97 + 1, seed: index) }
            let expected = Array(chunks.joined())

            await fixture.loop.submit {
                for chunk in chunks {
                    connection.write(chunk)
                }
                connection.flush()
            }
            let received = try await onNewThread { try fixture.peer.readBytes(count: expected.count) }
            let written = await fixture.loop.submit { connection.totalBytesWritten }

            #expect(received.count == expected.count)
            #expect(firstDifference(received, expected) == nil)
            #expect(written == expected.count)
        }
    }

    @Test func writesAcrossTicksKeepOrder() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection
            let chunks = (0..<20).map { patternBytes(count: 1000 + $0, seed: $0) }

            for chunk in chunks {
                fixture.loop.execute {
                    connection.write(chunk)
                    connection.flush()
                }
            }
            let expected = Array(chunks.joined())
            let received = try await onNewThread { try fixture.peer.readBytes(count: expected.count) }

            #expect(received.count == expected.count)
            #expect(firstDifference(received, expected) == nil)
        }
    }

    @Test func receivedBytesReachHandler() async throws {
        try await withConnection { fixture in
            let message = patternBytes(count: 200_000)

            try await onNewThread { try fixture.peer.writeAll(message) }

            #expect(await fixture.handler.log.wait { RecordingHandler.receivedBytes(in: $0).count >= message.count })
            let received = fixture.handler.receivedBytes
            #expect(received.count == message.count)
            #expect(firstDifference(received, message) == nil)
        }
    }
}
