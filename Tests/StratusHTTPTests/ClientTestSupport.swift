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

/// Returns a port that was free a moment ago, for peers such as nginx that
/// cannot listen on port 0 and report the port.
func reserveFreePort() throws -> Int {
    let socket = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
    defer { socket.close() }
    return try #require(try socket.localAddress()?.port)
}
