import StratusControlPlane
import StratusDiscovery
import StratusHTTP
import StratusKit
import StratusLog
import StratusNet
import StratusResilience
import StratusTelemetry
import Synchronization
import StratusTestSupport
import Testing

/// A logger that drops every record.
let quietLogger = Logger(label: "stratus.test.kit") { NoOpLogHandler(label: $0) }

enum KitTestGroup {
    static let shared: EventLoopGroup = try! EventLoopGroup(loopCount: 2)
}

/// An HTTP server on a free loopback port that plays one instance of a
/// service. It records the head of every request it receives.
final class TestInstance: Sendable {
    let server: HTTPServer
    let port: Int
    private let received = Mutex<[HTTPRequestHead]>([])

    var endpoint: String { "127.0.0.1:\(port)" }
    /// The requests received so far, in order.
    var requests: [HTTPRequestHead] { received.withLock { $0 } }
    var requestCount: Int { received.withLock { $0.count } }

    private init(server: HTTPServer, port: Int) {
        self.server = server
        self.port = port
    }

    /// Starts an instance that responds to every request with `handler`.
    static func start(_ handler: @escaping @Sendable (Request) async throws -> Response) async throws -> TestInstance {
        let box = Mutex<TestInstance?>(nil)
        let responder = ClosureResponder { request, _ in
            box.withLock { $0 }?.received.withLock { $0.append(request.head) }
            return try await handler(request)
        }
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: responder, group: KitTestGroup.shared, logger: quietLogger
        )
        try await server.start()
        let port = try #require(server.localAddress?.port)
        let instance = TestInstance(server: server, port: port)
        box.withLock { $0 = instance }
        return instance
    }

    /// Starts an instance that responds to every request with `status` and `body`.
    static func start(status: HTTPStatus, body: String = "") async throws -> TestInstance {
        try await start { _ in Response.text(body, status: status) }
    }

    func stop() async {
        await server.shutdown(gracePeriod: .milliseconds(200))
    }
}

/// Returns an endpoint on loopback that refuses connections for the rest
/// of the test run.
func deadEndpoint() async throws -> String {
    try LoopbackPorts.unreachableEndpoint()
}

/// A gate that handlers wait at until the test opens it. A waiter whose task
/// is cancelled leaves at once and is counted.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var cancelled = 0
    }

    private let state = Mutex(State())

    /// Waiters that left because their task was cancelled.
    var cancelledCount: Int { state.withLock { $0.cancelled } }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    func wait() async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.isOpen { return true }
                    if Task.isCancelled {
                        state.cancelled += 1
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                let waiter = state.waiters.removeValue(forKey: id)
                if waiter != nil { state.cancelled += 1 }
                return waiter
            }
            waiter?.resume()
        }
    }
}

/// Starts a control plane over an in-memory store on a free loopback port,
/// without health checks, and returns it with a client of its API.
func startControlPlane() async throws -> (ControlPlane, ControlPlaneClient) {
    let (controlPlane, url) = try await startMemoryControlPlane()
    return (controlPlane, try ControlPlaneClient(endpoints: [url]))
}

/// Registers `instance` as an UP instance of `service` with id `id`.
func register(_ instance: TestInstance, as id: String, of service: String, with client: ControlPlaneClient) async throws {
    let registration = ServiceInstance(service: service, id: id, address: "127.0.0.1", port: instance.port)
    _ = try await client.register(RegistrationRequest(instance: registration, ttlSeconds: 60))
}

/// Client settings for tests: short backoff, no retry budget limit unless
/// a test sets one.
func testConfiguration(
    perTryTimeout: Duration = .seconds(5),
    totalTimeout: Duration = .seconds(20),
    maxAttempts: Int = 3
) -> ServiceClientConfiguration {
    var configuration = ServiceClientConfiguration()
    configuration.perTryTimeout = perTryTimeout
    configuration.totalTimeout = totalTimeout
    configuration.retry = ServiceRetryPolicy(maxAttempts: maxAttempts, backoff: .init(base: .milliseconds(1), maximum: .milliseconds(5)))
    configuration.retryBudget = .init(ratio: 1, minRetriesPerSecond: 1_000)
    return configuration
}

/// Makes a client of fixed endpoints whose first pick is the first endpoint
/// and which then alternates, with its own metrics registry.
func makeClient(
    _ endpoints: [String],
    configuration: ServiceClientConfiguration = testConfiguration(),
    balancer: (any LoadBalancer)? = nil,
    metrics: MetricsRegistry = MetricsRegistry()
) throws -> ServiceClient {
    try ServiceClient(
        service: "iam-apiserver", endpoints: endpoints, configuration: configuration,
        balancer: balancer ?? RoundRobinBalancer(initialPosition: 0), metrics: metrics, logger: quietLogger
    )
}

/// Reads the counter `label` of service iam-apiserver from `registry`.
func counterValue(_ label: String, in registry: MetricsRegistry, extra: [(String, String)] = []) -> Int64 {
    Counter(label: label, dimensions: [("service", "iam-apiserver")] + extra, registry: registry).value
}

/// A clock for breakers and retry budgets that tests move by hand.
final class ManualClock: Sendable {
    private let nanoseconds = Atomic<UInt64>(1_000_000_000)

    var clock: ResilienceClock {
        ResilienceClock { [self] in nanoseconds.load(ordering: .relaxed) }
    }

    func advance(by duration: Duration) {
        nanoseconds.add(duration.nanoseconds, ordering: .relaxed)
    }
}
