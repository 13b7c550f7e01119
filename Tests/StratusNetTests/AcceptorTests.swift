import Glibc
@testable import StratusNet
import Testing

/// An `Acceptor` on a fresh listener, recording accepted sockets and errors.
private struct AcceptorFixture: Sendable {
    let loop: EventLoop
    let acceptor: Acceptor
    let address: SocketAddress
    let accepted: EventLog<Socket>
    let errors: EventLog<SystemError>
}

/// Starts an acceptor on `loop`, runs `body`, then closes the acceptor and every accepted socket.
private func withAcceptor(on loop: EventLoop, backlog: Int32 = 1024, _ body: (AcceptorFixture) async throws -> Void) async throws {
    let (listener, address) = try makeLoopbackListener(backlog: backlog)
    let accepted = EventLog<Socket>()
    let errors = EventLog<SystemError>()
    let acceptor = try await loop.submit { () throws(SystemError) -> Acceptor in
        let acceptor = Acceptor(socket: listener, loop: loop, onAccept: { accepted.append($0) }, onError: { errors.append($0) })
        do throws(SystemError) {
            try acceptor.start()
        } catch {
            listener.close()
            throw error
        }
        return acceptor
    }

    var failure: (any Error)?
    do {
        try await body(AcceptorFixture(loop: loop, acceptor: acceptor, address: address, accepted: accepted, errors: errors))
    } catch {
        failure = error
    }
    await loop.submit { acceptor.close() }
    for socket in accepted.events {
        socket.close()
    }
    if let failure {
        throw failure
    }
}

/// Connects `count` clients and waits until each handshake finishes.
private func connectClients(_ count: Int, to address: SocketAddress) throws -> [Socket] {
    var clients: [Socket] = []
    do {
        for _ in 0..<count {
            clients.append(try connectBlocking(to: address))
        }
    } catch {
        clients.forEach { $0.close() }
        throw error
    }
    return clients
}

/// Returns the local ports of `sockets`, or the ports of their peers with `remote`.
private func ports(of sockets: [Socket], remote: Bool) throws -> Set<Int> {
    Set(try sockets.map { socket in
        let address = remote ? try socket.remoteAddress() : try socket.localAddress()
        return address?.port ?? 0
    })
}

@Suite struct AcceptorTests {
    @Test func acceptsBurstLargerThanBatch() async throws {
        try await withEventLoop { loop in
            try await withAcceptor(on: loop) { fixture in
                let count = 200
                let clients = try connectClients(count, to: fixture.address)
                defer { clients.forEach { $0.close() } }

                #expect(await fixture.accepted.wait { $0.count == count }, "timed out waiting for \(count) connections")
                await loop.submit {}
                #expect(fixture.accepted.events.count == count)
                #expect(try ports(of: fixture.accepted.events, remote: true) == ports(of: clients, remote: false))
                #expect(fixture.errors.events.isEmpty)
            }
        }
    }

    @Test func pausedAcceptorLeavesBacklog() async throws {
        try await withEventLoop { loop in
            try await withAcceptor(on: loop) { fixture in
                let acceptor = fixture.acceptor
                await loop.submit { acceptor.setPaused(true) }

                // More than one batch of 64 waits in the backlog.
                let count = 150
                let clients = try connectClients(count, to: fixture.address)
                defer { clients.forEach { $0.close() } }
                try acceptor.socket.poll(for: Int16(POLLIN), operation: "see a pending connection")
                await loop.submit {}
                await loop.submit {}
                #expect(fixture.accepted.events.isEmpty, "the paused acceptor accepted a connection")

                await loop.submit { acceptor.setPaused(false) }
                #expect(await fixture.accepted.wait { $0.count == count }, "timed out waiting for \(count) connections")
                #expect(try ports(of: fixture.accepted.events, remote: true) == ports(of: clients, remote: false))
            }
        }
    }

    @Test func closedAcceptorRefusesConnections() async throws {
        try await withEventLoop { loop in
            try await withAcceptor(on: loop) { fixture in
                let acceptor = fixture.acceptor
                await loop.submit {
                    acceptor.close()
                    acceptor.close()
                    acceptor.setPaused(true)
                }

                let error = #expect(throws: SystemError.self) {
                    let client = try connectBlocking(to: fixture.address)
                    client.close()
                }
                #expect(error?.errno == ECONNREFUSED)
            }
        }
    }
}
