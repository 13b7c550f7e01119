import Foundation
import Glibc
import StratusHTTP
import StratusNet
import Testing

/// Starts an `HTTPServer` on a free loopback port for one test.
func withTestServer<T>(
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    responder: some HTTPResponder,
    _ body: (HTTPServer, Int) async throws -> T
) async throws -> T {
    var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, responder: responder, group: ClientTestGroup.shared)
    try await server.start()
    let port = try #require(server.localAddress?.port)
    do {
        let result = try await body(server, port)
        await server.shutdown(gracePeriod: .seconds(2))
        return result
    } catch {
        await server.shutdown(gracePeriod: .seconds(2))
        throw error
    }
}

enum ClientTestGroup {
    static let shared: EventLoopGroup = try! EventLoopGroup(loopCount: 2)
}

/// A loopback TCP server on a plain thread that runs `script` for each
/// accepted connection, for peers that misbehave on purpose. A read gives
/// up after 20 s, far longer than a loaded machine stalls a client, so a
/// client that never sends keeps the thread no longer than that.
final class ScriptedServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let thread: Thread

    init(script: @escaping @Sendable (_ connection: Int32, _ index: Int) -> Void) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            throw SystemError(call: "bind", errno: errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            _ = $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = descriptor
        thread = Thread {
            var index = 0
            while true {
                let connection = accept(descriptor, nil, nil)
                guard connection >= 0 else {
                    close(descriptor)
                    return
                }
                _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
                var timeout = timeval(tv_sec: 20, tv_usec: 0)
                setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                script(connection, index)
                index += 1
            }
        }
        thread.start()
    }

    /// Stops accepting. The thread closes the listener itself once its
    /// `accept` fails, so that the descriptor's number cannot pass to
    /// another socket while the thread may still accept on it.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// Reads one request head (up to the empty line) from `connection`.
    static func readHead(_ connection: Int32) -> String? {
        var received: [UInt8] = []
        var byte: UInt8 = 0
        while read(connection, &byte, 1) == 1 {
            received.append(byte)
            if received.count >= 4 && received.suffix(4).elementsEqual("\r\n\r\n".utf8) {
                return String(decoding: received, as: UTF8.self)
            }
        }
        return nil
    }

    static func send(_ connection: Int32, _ text: String) {
        _ = text.withCString { write(connection, $0, strlen($0)) }
    }
}

/// Returns a port that was free a moment ago, for peers such as nginx that
/// cannot listen on port 0 and report the port.
func reserveFreePort() throws -> Int {
    let socket = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
    defer { socket.close() }
    return try #require(try socket.localAddress()?.port)
}
