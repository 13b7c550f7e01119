import StratusEvents
import Glibc
import StratusDiscovery
import StratusHTTP
import StratusLog
public import StratusNet
import StratusTelemetry
import Synchronization

/// A frozen `ServiceApplication` that runs: the HTTP server, the
/// registration, the workers, and the drain when it stops.
///
/// `run()` loads the config-center namespaces, starts the server, registers
/// the instance, starts the workers, and then waits for a shutdown request: SIGTERM or SIGINT when
/// `handlesSignals`, `triggerGracefulShutdown()`, or a graceful shutdown of
/// the `ServiceGroup` it runs in. It then stops in this order:
///
/// 1. `/readyz` reports `draining` (503).
/// 2. The instance is marked DRAINING and deregistered.
/// 3. The server keeps serving for `server.drainPeriod`, for callers whose
///    caches still list the instance.
/// 4. The server stops accepting and lets requests in flight finish within
///    `server.shutdownTimeout`.
/// 5. Worker tasks are cancelled and awaited.
/// 6. The config-center namespaces stop following their releases.
///
/// `run()` then returns, or rethrows the error of a worker that failed.
/// Cancelling the task that runs it skips the drain period.
public final class ApplicationService: Service {
    public let name: String
    public let version: String
    /// The instance id it registers with.
    public let instanceID: String
    public let readiness: Readiness
    let settings: KitSettings
    let logger: Logger
    let server: HTTPServer
    let workers: [Worker]
    private let handlesSignals: Bool
    let shutdown = ShutdownRequest()
    private let started = StartSignal()
    private let registration = Mutex<InstanceRegistration?>(nil)
    private let controlPlane: ControlPlaneClient?
    private let clients: ServiceClients
    private let events: EventBus?
    /// The config-center namespaces, started before the server and stopped
    /// after the workers.
    let remoteConfigurations: [RemoteConfiguration]

    init(application: ServiceApplication, handlesSignals: Bool) throws(StartupError) {
        let settings = application.settings
        name = application.name
        version = application.version
        self.settings = settings
        logger = application.logger
        workers = application.workers
        controlPlane = application.controlPlane
        clients = application.clients
        events = application.events
        self.handlesSignals = handlesSignals
        readiness = Readiness(checks: application.readinessChecks)
        instanceID = application.instanceID
        remoteConfigurations = application.remoteConfigurations.keys.sorted().map { application.remoteConfigurations[$0]! }
        let responder = OperationalResponder(
            readiness: readiness,
            metrics: settings.metrics.enabled ? MetricsHandler(registry: application.metrics) : nil,
            service: application.router.buildResponder()
        )
        var configuration = HTTPServerConfiguration(host: settings.server.host, port: settings.server.port)
        configuration.idleTimeout = settings.server.idleTimeout
        let group: EventLoopGroup
        if let loops = settings.server.eventLoops {
            do {
                group = try EventLoopGroup(loopCount: loops)
            } catch {
                throw StartupError("cannot start \(loops) event loops: \(error)")
            }
        } else {
            group = .shared
        }
        server = HTTPServer(configuration: configuration, responder: responder, group: group, logger: application.logger)
    }

    /// Suspends until the server listens, and returns its address.
    ///
    /// - Throws: the `StartupError` that stopped `run()` before it listened.
    public func waitUntilServing() async throws -> SocketAddress {
        try await started.wait()
    }

    /// Asks the service to stop, in the order the type describes.
    public func triggerGracefulShutdown() {
        shutdown.trigger(.requested)
    }

    public func run() async throws {
        do {
            try await start()
        } catch {
            await stopRemoteConfigurations()
            started.fail(error)
            throw error
        }
        let signals = handlesSignals ? Task { [shutdown] in
            shutdown.trigger(.signal(await TerminationSignal.wait()))
        } : nil
        defer { signals?.cancel() }
        let reason = try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in workers {
                group.addTask { await self.run(worker) }
            }
            let reason = await withGracefulShutdownHandler {
                await shutdown.wait()
            } onGracefulShutdown: { [shutdown] in
                shutdown.trigger(.requested)
            }
            await drain(reason)
            group.cancelAll()
            try await group.waitForAll()
            return reason
        }
        await stopRemoteConfigurations()
        await clients.shutdown()
        // After the workers stopped, so no subscription still uses the bus.
        await events?.close()
        logger.info("service stopped", metadata: ["service.name": .string(name)])
        if case .workerFailed(_, let error) = reason {
            throw error
        }
    }

    /// Loads the config-center namespaces, starts the server and registers
    /// the instance.
    private func start() async throws(StartupError) {
        await startRemoteConfigurations()
        do {
            try await server.start()
        } catch {
            throw StartupError(
                "cannot listen on \(settings.server.host):\(settings.server.port): \(error); stop the process using the port or set server.port"
            )
        }
        guard let address = server.localAddress else {
            throw StartupError("the server started without a local address")
        }
        if let controlPlane, let controlPlaneSettings = settings.controlPlane {
            let registration = makeRegistration(controlPlaneSettings, client: controlPlane, port: address.port)
            self.registration.withLock { $0 = registration }
            try await registration.start()
        }
        readiness.markServing()
        started.succeed(address)
        logger.info("service started", metadata: [
            "service.name": .string(name),
            "service.version": .string(version),
            "server.address": .string("\(address)"),
        ])
    }

    /// Starts every namespace at once and returns when each has a release
    /// in force or gave up waiting; `/readyz` reports the ones without.
    private func startRemoteConfigurations() async {
        await withTaskGroup(of: Void.self) { group in
            for configuration in remoteConfigurations {
                group.addTask { await configuration.start() }
            }
        }
    }

    private func stopRemoteConfigurations() async {
        for configuration in remoteConfigurations {
            await configuration.stop()
        }
    }

    private func makeRegistration(_ settings: ControlPlaneSettings, client: ControlPlaneClient, port: Int) -> InstanceRegistration {
        let instance = ServiceInstance(
            service: name,
            id: instanceID,
            address: advertiseAddress,
            port: port,
            labels: settings.labels,
            version: version,
            zone: settings.zone,
            weight: settings.weight,
            healthCheck: HealthCheck(path: OperationalResponder.readinessPath)
        )
        let registrar = ServiceRegistrar(client: client, instance: instance, ttlSeconds: settings.ttlSeconds, logger: logger)
        return InstanceRegistration(registrar: registrar, logger: logger)
    }

    /// The address other services reach this instance at.
    private var advertiseAddress: String {
        if let address = settings.server.advertiseAddress {
            return address
        }
        let host = settings.server.host
        return host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
    }

    /// Stops in the documented order.
    private func drain(_ reason: ShutdownReason) async {
        var metadata: Logger.Metadata = ["service.name": .string(name), "reason": .string(reason.logDescription)]
        logger.info("shutdown started; reporting not ready", metadata: metadata)
        readiness.markDraining()
        await registration.withLock { $0 }?.drain()
        if case .cancelled = reason {
            // A cancelled task stops at once, without the drain period.
        } else if settings.server.drainPeriod > .zero {
            logger.info("draining", metadata: metadata.merging(["drain_period": .string("\(settings.server.drainPeriod)")]) { $1 })
            try? await Task.sleep(for: settings.server.drainPeriod)
        }
        metadata["shutdown_timeout"] = .string("\(settings.server.shutdownTimeout)")
        logger.info("stopping the server", metadata: metadata)
        await server.shutdown(gracePeriod: settings.server.shutdownTimeout)
        if !workers.isEmpty {
            logger.info("stopping workers", metadata: ["worker.count": .stringConvertible(workers.count)])
        }
    }
}

extension ShutdownReason {
    var logDescription: String {
        switch self {
        case .signal(SIGTERM): "SIGTERM"
        case .signal(SIGINT): "SIGINT"
        case .signal(let number): "signal \(number)"
        case .requested: "requested"
        case .workerFailed(let name, _): "worker \(name) failed"
        case .cancelled: "cancelled"
        }
    }
}
