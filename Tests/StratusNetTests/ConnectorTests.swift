import Glibc
@testable import StratusNet
import Testing

/// Runs `Connector.connect` on `loop` and returns its result, checking that
/// the completion ran on the loop thread.
private func connect(to address: SocketAddress, on loop: EventLoop, timeout: Duration = .seconds(5)) async -> Result<Socket, SystemError> {
    let (result, completedOnLoop) = await withCheckedContinuation { continuation in
        loop.execute {
            Connector.connect(to: address, on: loop, timeout: timeout) { result in
                continuation.resume(returning: (result, loop.inEventLoop))
            }
        }
    }
    #expect(completedOnLoop, "the completion ran off the loop thread")
    return result
}

@Suite struct ConnectorTests {
    @Test func connectsToListener() async throws {
        try await withEventLoop { loop in
            let (listener, address) = try makeLoopbackListener()
            defer { listener.close() }

            let socket = try await connect(to: address, on: loop).get()
            defer { socket.close() }
            let server = try acceptBlocking(from: listener)
            defer { server.close() }

            #expect(try socket.remoteAddress() == address)
            #expect(try server.remoteAddress() == socket.localAddress())
            try socket.writeAll(Array("ping".utf8))
            #expect(try server.readBytes(count: 4) == Array("ping".utf8))
        }
    }

    @Test func closedPortRefusesConnection() async throws {
        try await withEventLoop { loop in
            // Take a port the kernel handed out, then close it so nothing listens there.
            let (listener, address) = try makeLoopbackListener()
            listener.close()

            let result = await connect(to: address, on: loop)

            guard case .failure(let error) = result else {
                Issue.record("connect to closed port \(address) succeeded")
                if case .success(let socket) = result { socket.close() }
                return
            }
            #expect(error.errno == ECONNREFUSED)
            #expect(error.call == "connect(\(address))")
        }
    }

    /// A listener with backlog 0 keeps one unaccepted connection and drops the
    /// SYN of the next, so that connect can only end by the timeout.
    @Test func fullBacklogTimesOut() async throws {
        try await withEventLoop { loop in
            let (listener, address) = try makeLoopbackListener(backlog: 0)
            defer { listener.close() }
            let first = try connectBlocking(to: address)
            defer { first.close() }
            try listener.poll(for: Int16(POLLIN), operation: "see the first connection queued")

            let start = MonotonicClock.now()
            let result = await connect(to: address, on: loop, timeout: .milliseconds(200))

            guard case .failure(let error) = result else {
                Issue.record("connect to a full backlog succeeded")
                if case .success(let socket) = result { socket.close() }
                return
            }
            #expect(error.errno == ETIMEDOUT)
            #expect(error.call == "connect(\(address))")
            #expect(MonotonicClock.now() - start >= Duration.milliseconds(200).nanoseconds)
        }
    }
}
