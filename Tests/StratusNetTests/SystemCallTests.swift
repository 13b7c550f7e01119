import Glibc
@testable import StratusNet
import Testing

@Suite struct SystemCallTests {
    // MARK: The wrapper itself

    @Test func callRetriesEINTR() throws {
        var attempts = 0
        let result = try System.call("fake") { () -> Int32 in
            attempts += 1
            if attempts < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }

        guard case .processed(let value) = result else {
            Issue.record("expected .processed, got .wouldBlock")
            return
        }
        #expect(value == 7)
        #expect(attempts == 3)
    }

    @Test func callReturnsWouldBlockOnEAGAIN() throws {
        let result = try System.call("fake") { () -> Int32 in
            errno = EAGAIN
            return -1
        }

        guard case .wouldBlock = result else {
            Issue.record("expected .wouldBlock, got \(result)")
            return
        }
    }

    @Test func callThrowsNamedError() {
        let error = #expect(throws: SystemError.self) {
            _ = try System.call("open(/missing)") { () -> Int32 in
                errno = ENOENT
                return -1
            }
        }

        #expect(error?.call == "open(/missing)")
        #expect(error?.errno == ENOENT)
    }

    @Test func blockingCallTurnsEAGAINIntoError() {
        let error = #expect(throws: SystemError.self) {
            try System.blockingCall("fake") { () -> Int32 in
                errno = EAGAIN
                return -1
            }
        }

        #expect(error?.errno == EAGAIN)
    }

    @Test func errorDescriptionNamesCallAndErrno() {
        let error = SystemError(call: "bind(127.0.0.1:80)", errno: EACCES)

        #expect(error.description.contains("bind(127.0.0.1:80)"))
        #expect(error.description.contains("Permission denied"))
        #expect(error.description.contains("errno \(EACCES)"))
    }

    // MARK: Real socket calls

    @Test func bindToPortInUseFails() throws {
        let (listener, address) = try makeLoopbackListener()
        defer { listener.close() }

        let error = #expect(throws: SystemError.self) {
            let second = try Socket.listen(on: address)
            second.close()
        }

        #expect(error?.errno == EADDRINUSE)
        #expect(error?.call == "bind(\(address))")
        #expect(error?.description.contains("bind(127.0.0.1:\(address.port))") == true)
        #expect(error?.description.contains("errno \(EADDRINUSE)") == true)
    }

    @Test func reusePortAllowsSecondListener() throws {
        let first = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0), reusePort: true)
        defer { first.close() }
        let address = try #require(try first.localAddress())

        let second = try Socket.listen(on: address, reusePort: true)
        defer { second.close() }

        #expect(try second.localAddress() == address)
    }

    @Test func listenerAddressHasKernelPort() throws {
        let (listener, address) = try makeLoopbackListener()
        defer { listener.close() }

        #expect(address.host == "127.0.0.1")
        #expect(address.port != 0)
        #expect(address.family == AF_INET)
    }

    @Test func acceptWithoutConnectionWouldBlock() throws {
        let (listener, _) = try makeLoopbackListener()
        defer { listener.close() }

        let result = try listener.accept()

        guard case .wouldBlock = result else {
            Issue.record("expected .wouldBlock, got \(result)")
            if case .processed(let socket) = result { socket.close() }
            return
        }
    }

    @Test func readOnEmptySocketWouldBlock() throws {
        let (client, server) = try makeSocketPair()
        defer {
            client.close()
            server.close()
        }
        var buffer = [UInt8](repeating: 0, count: 16)

        let result = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }

        guard case .wouldBlock = result else {
            Issue.record("expected .wouldBlock, got \(result)")
            return
        }
    }

    @Test func readAfterPeerCloseReturnsZero() throws {
        let (client, server) = try makeSocketPair()
        defer { server.close() }
        client.close()

        #expect(try server.readToEOF() == [])
    }

    @Test func pairAddressesMatch() throws {
        let (client, server) = try makeSocketPair()
        defer {
            client.close()
            server.close()
        }

        #expect(try client.remoteAddress() == server.localAddress())
        #expect(try server.remoteAddress() == client.localAddress())
    }

    @Test func remoteAddressOfListenerNamesGetpeername() throws {
        let (listener, _) = try makeLoopbackListener()
        defer { listener.close() }

        let error = #expect(throws: SystemError.self) {
            _ = try listener.remoteAddress()
        }

        #expect(error?.errno == ENOTCONN)
        #expect(error?.call.hasPrefix("getpeername(") == true)
    }

    /// A send to a reset connection must fail with an error instead of raising
    /// SIGPIPE, which would end the test process.
    @Test func sendAfterResetThrows() throws {
        let (client, server) = try makeSocketPair()
        defer { client.close() }
        try server.setResetOnClose()
        server.close()
        try client.poll(for: Int16(POLLIN), operation: "receive the reset")

        let error = #expect(throws: SystemError.self) {
            // The first send may be accepted before the reset is noticed, so send until one fails.
            for _ in 0..<100 {
                _ = try [UInt8](repeating: 1, count: 1024).withUnsafeBytes { try client.write($0) }
            }
        }

        #expect(error?.errno == ECONNRESET || error?.errno == EPIPE)
        #expect(error?.call.hasPrefix("send(") == true)
    }
}
