package import StratusControlPlane
import StratusHTTP
import StratusLog
import StratusNet
package import StratusStore

/// An HTTP server on a free loopback port that serves the control plane's
/// store API over an in-memory `EmbeddedStore`, for tests that drive it
/// with etcd gateway clients.
package final class GatewayPeer: Sendable {
    package let store: EmbeddedStore
    /// The base URL, such as `http://127.0.0.1:40123`.
    package let url: String
    package let port: Int
    private let server: HTTPServer

    private init(store: EmbeddedStore, server: HTTPServer, port: Int) {
        self.store = store
        self.server = server
        self.port = port
        url = "http://127.0.0.1:\(port)"
    }

    /// The number of open client connections.
    package var connectionCount: Int { server.connectionCount }

    /// Starts a server on 127.0.0.1 with a port the kernel picks.
    package static func start(configuration: StoreGatewayAPI.Configuration = .init()) async throws -> GatewayPeer {
        let quiet = Logger(label: "stratus.test.gateway") { NoOpLogHandler(label: $0) }
        var apiConfiguration = configuration
        apiConfiguration.logger = quiet
        let store = try EmbeddedStore(configuration: .init(path: nil), logger: quiet)
        let router = Router()
        StoreGatewayAPI(store: store, configuration: apiConfiguration).register(on: router)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: router.buildResponder(),
            logger: quiet
        )
        do {
            try await server.start()
        } catch {
            await store.close()
            throw error
        }
        guard let port = server.localAddress?.port else {
            await server.shutdown(gracePeriod: .zero)
            await store.close()
            throw EtcdPeerError(description: "the gateway server started without a local port")
        }
        return GatewayPeer(store: store, server: server, port: port)
    }

    /// Stops the server, closing open watch streams at once, then closes the store.
    package func stop() async {
        await server.shutdown(gracePeriod: .milliseconds(100))
        await store.close()
    }
}
