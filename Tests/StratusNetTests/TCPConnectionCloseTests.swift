import Glibc
@testable import StratusNet
import Testing

/// POLLRDHUP, which Glibc exports only with _GNU_SOURCE: the peer shut down its write side.
private let pollReadHangUp: Int16 = 0x2000

@Suite struct TCPConnectionCloseTests {
    @Test func peerShutdownDeliversEOF() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection
            try fixture.peer.writeAll(Array("last words".utf8))
            fixture.peer.shutdownWrite()

            #expect(await fixture.handler.log.wait { $0.contains(.receivedEOF) })
            #expect(fixture.handler.log.events == [.received(Array("last words".utf8)), .receivedEOF])

            // The write side stays open after EOF.
            await fixture.loop.submit {
                connection.write(Array("reply".utf8))
                connection.flush()
            }
            let peerReceived = try await onNewThread { try fixture.peer.readBytes(count: 5) }
            #expect(peerReceived == Array("reply".utf8))
            #expect(await fixture.loop.submit { connection.isClosed } == false)
        }
    }

    @Test func closeReportsOnce() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection

            await fixture.loop.submit {
                connection.close()
                connection.close()
                connection.closeAfterFlush()
            }
            await fixture.loop.submit {}

            let events = fixture.handler.log.events
            #expect(RecordingHandler.closedCount(in: events) == 1)
            #expect(events == [.closed(error: nil)])
            #expect(await fixture.loop.submit { connection.isClosed })
            let peerReceived = try await onNewThread { try fixture.peer.readToEOF() }
            #expect(peerReceived == [])
        }
    }

    @Test func closeDropsQueuedOutput() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection

            let pending = await fixture.loop.submit {
                connection.write(patternBytes(count: 1000))
                connection.flush()
                connection.close()
                connection.write([1])
                return connection.pendingBytes
            }

            #expect(pending == 0)
            let peerReceived = try await onNewThread { try fixture.peer.readToEOF() }
            #expect(peerReceived == [])
        }
    }

    @Test func peerResetClosesWithError() async throws {
        try await withConnection { fixture in
            try fixture.peer.setResetOnClose()
            fixture.closePeer()

            #expect(await fixture.handler.log.wait { RecordingHandler.closedCount(in: $0) == 1 })
            guard case .closed(let error)? = fixture.handler.log.events.last else {
                Issue.record("expected a close event, got \(fixture.handler.log.events)")
                return
            }
            #expect(error?.contains("errno \(ECONNRESET)") == true, "close error: \(error ?? "nil")")
        }
    }

    /// A reset after the peer's FIN makes epoll report an error until the
    /// socket closes. The connection closes instead of reporting the EOF again.
    @Test func resetAfterEOFCloses() async throws {
        try await withConnection { fixture in
            fixture.peer.shutdownWrite()
            #expect(await fixture.handler.log.wait { $0.contains(.receivedEOF) })

            try fixture.peer.setResetOnClose()
            fixture.closePeer()

            #expect(await fixture.handler.log.wait { RecordingHandler.closedCount(in: $0) == 1 })
            let eofCount = fixture.handler.log.events.count { $0 == .receivedEOF }
            #expect(eofCount == 1, "events: \(fixture.handler.log.events.prefix(8))")
        }
    }

    @Test func closeAfterFlushSendsEverything() async throws {
        try await withConnection(connectionSendBuffer: 4096, peerReceiveBuffer: 4096) { fixture in
            let connection = fixture.connection
            let chunks = (0..<100).map { patternBytes(count: 5003, seed: $0) }
            let payload = Array(chunks.joined())

            await fixture.loop.submit {
                for chunk in chunks {
                    connection.write(chunk)
                }
                connection.closeAfterFlush()
            }
            let closedBeforeRead = await fixture.loop.submit { connection.isClosed }
            let received = try await onNewThread { try fixture.peer.readToEOF(timeout: .seconds(10)) }

            #expect(!closedBeforeRead, "the connection closed with output still queued")
            #expect(received.count == payload.count)
            #expect(firstDifference(received, payload) == nil)
            #expect(await fixture.handler.log.wait { RecordingHandler.closedCount(in: $0) == 1 })
            #expect(fixture.handler.log.events == [.closed(error: nil)])
        }
    }

    @Test func closeAfterFlushWithNothingQueuedClosesNow() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection

            let closed = await fixture.loop.submit {
                connection.closeAfterFlush()
                return connection.isClosed
            }

            #expect(closed)
            #expect(fixture.handler.log.events == [.closed(error: nil)])
        }
    }

    /// The peer sends after the connection has shut down its write side. A plain
    /// close would respond to that input with a reset and destroy the unread reply.
    @Test func lingeringCloseSurvivesLateInput() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection
            let reply = patternBytes(count: 10_000)

            await fixture.loop.submit {
                connection.write(reply)
                connection.closeAfterFlush(lingering: true, lingerTime: .seconds(30))
            }
            // POLLRDHUP: the FIN from the shutdown has arrived, so the connection is lingering.
            try fixture.peer.poll(for: pollReadHangUp, operation: "receive the FIN")
            try fixture.peer.writeAll(patternBytes(count: 100_000, seed: 7))
            try fixture.peer.writeAll(Array("more".utf8))
            await fixture.loop.submit {}

            let received = try await onNewThread { try fixture.peer.readToEOF() }
            #expect(received.count == reply.count)
            #expect(firstDifference(received, reply) == nil)
            #expect(fixture.handler.log.events.isEmpty, "lingering input must be discarded, not delivered")

            // The peer's own close ends the linger.
            fixture.peer.shutdownWrite()
            #expect(await fixture.handler.log.wait { RecordingHandler.closedCount(in: $0) == 1 })
            #expect(fixture.handler.log.events == [.closed(error: nil)])
        }
    }

    /// The peer keeps sending while a large reply is still being flushed.
    @Test func lingeringCloseDeliversLargeReply() async throws {
        try await withConnection(connectionSendBuffer: 4096, peerReceiveBuffer: 4096) { fixture in
            let connection = fixture.connection
            let reply = Array((0..<64).map { patternBytes(count: 4099, seed: $0) }.joined())

            await fixture.loop.submit {
                connection.write(reply)
                connection.closeAfterFlush(lingering: true, lingerTime: .seconds(30))
            }
            try fixture.peer.writeAll(patternBytes(count: 50_000, seed: 3))

            let received = try await onNewThread { () throws -> [UInt8] in
                let received = try fixture.peer.readToEOF(timeout: .seconds(10))
                try fixture.peer.writeAll(Array("after EOF".utf8))
                return received
            }
            #expect(received.count == reply.count)
            #expect(firstDifference(received, reply) == nil)

            fixture.peer.shutdownWrite()
            #expect(await fixture.handler.log.wait { RecordingHandler.closedCount(in: $0) == 1 })
            #expect(fixture.handler.log.events.last == .closed(error: nil))
        }
    }

    @Test func lingerTimeLimitsLinger() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection

            let start = await fixture.loop.submit {
                connection.write([1, 2, 3])
                connection.closeAfterFlush(lingering: true, lingerTime: .milliseconds(50))
                return MonotonicClock.now()
            }

            // The peer never closes, so only the linger timer can close the connection.
            #expect(await fixture.handler.log.wait { RecordingHandler.closedCount(in: $0) == 1 })
            #expect(MonotonicClock.now() - start >= Duration.milliseconds(50).nanoseconds)
            let peerReceived = try await onNewThread { try fixture.peer.readToEOF() }
            #expect(peerReceived == [1, 2, 3])
        }
    }

    @Test func lingeringAfterEOFClosesAtOnce() async throws {
        try await withConnection { fixture in
            let connection = fixture.connection
            fixture.peer.shutdownWrite()
            #expect(await fixture.handler.log.wait { $0.contains(.receivedEOF) })

            await fixture.loop.submit {
                connection.write(Array("bye".utf8))
                connection.closeAfterFlush(lingering: true, lingerTime: .seconds(30))
            }

            #expect(await fixture.handler.log.wait { RecordingHandler.closedCount(in: $0) == 1 })
            let peerReceived = try await onNewThread { try fixture.peer.readToEOF() }
            #expect(peerReceived == Array("bye".utf8))
        }
    }
}
