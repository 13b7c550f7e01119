import Foundation
import StratusHTTP
public import StratusLog
public import StratusNet
public import StratusStore
import StratusTelemetry

/// The Stratus control plane: the service registry and the store API over
/// one store, served over HTTP.
///
/// It keeps no state beyond the store, so several replicas over one etcd
/// serve the same data; with the embedded store it runs as one process.
///
/// ```swift
/// let controlPlane = try ControlPlane(configuration: .init(store: .embedded(directory: ".stratus")))
/// try await controlPlane.start()
/// print(controlPlane.localAddress!)      // 127.0.0.1:7700
/// await controlPlane.shutdown()
/// ```
public final class ControlPlane: Sendable {
    public struct Configuration: Sendable {
        public var store: StoreSpec
        /// The address to listen on: a numeric address or localhost.
        /// Default 127.0.0.1.
        public var host = "127.0.0.1"
        /// The port to listen on; 0 picks a free port. Default 7700.
        public var port = 7700
        public var logger = Logger(label: "stratus.controlplane")

        public init(store: StoreSpec = .embedded(directory: StoreSpec.defaultDirectory)) {
            self.store = store
        }
    }

    public let configuration: Configuration
    /// The store the control plane serves.
    public let store: any KeyValueStore
    public let registry: Registry
    private let server: HTTPServer
    let readiness = Readiness()
    let streams = OpenStreams()
    /// The method and template of every route, for the OpenAPI test.
    let routes: [(method: String, template: String)]

    /// Opens the store and prepares the server; `start` begins serving.
    ///
    /// - Throws: `StoreError` when the store cannot be opened.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        store = try configuration.store.open()
        registry = Registry(store: store)
        let router = Router()
        router.add(middleware: RecoveryMiddleware())
        router.add(middleware: HTTPServerMetricsMiddleware())
        Self.addRoutes(to: router, store: store, registry: registry, readiness: readiness, streams: streams)
        routes = router.registeredRoutes.map { ("\($0.method)", $0.template) }
        server = HTTPServer(
            configuration: HTTPServerConfiguration(host: configuration.host, port: configuration.port),
            responder: router.buildResponder(),
            logger: configuration.logger
        )
    }

    /// The address the control plane listens on, once started.
    public var localAddress: SocketAddress? { server.localAddress }

    /// Starts serving. `/readyz` reports ready once the store answers.
    public func start() async throws {
        try await server.start()
        readiness.markReady()
        configuration.logger.info("control plane started", metadata: [
            "controlplane.address": .string(localAddress.map { "\($0)" } ?? "-"),
            "controlplane.store": .string(configuration.store.description),
        ])
    }

    /// Stops accepting, ends the registry's watch streams (clients reconnect,
    /// to another replica if there is one), finishes other requests in
    /// flight for up to `gracePeriod`, then closes the store.
    public func shutdown(gracePeriod: Duration = .seconds(5)) async {
        readiness.markNotReady()
        streams.closeAll()
        await server.shutdown(gracePeriod: gracePeriod)
        await store.close()
        configuration.logger.info("control plane stopped")
    }
}
