import StratusHTTP
import StratusLog
import StratusNet
@testable import StratusTelemetry
import Testing

/// A logger that drops every record.
let metricsQuietLogger = Logger(label: "stratus.test") { NoOpLogHandler(label: $0) }

/// An error that is not an `HTTPError`, for the 500 path.
struct MetricsTestFailure: Error {}

/// Builds a router with the server metrics middleware, a parameterized route, routes
/// that throw, and `/metrics`, all on `registry`.
func makeMetricsRouter(registry: MetricsRegistry) -> Router {
    let router = Router()
    router.add(middleware: HTTPServerMetricsMiddleware(registry: registry))
    router.get("/items/:id") { _, context in
        "item \(context.parameters["id"] ?? "")"
    }
    router.post("/items/:id") { _, _ in
        HTTPStatus.created
    }
    router.get("/conflict") { _, _ -> String in
        throw HTTPError(.conflict)
    }
    router.get("/crash") { _, _ -> String in
        throw MetricsTestFailure()
    }
    router.addMetricsRoute(registry: registry)
    return router
}

/// Sends one request through `responder` in memory.
func sendInMemory(_ method: HTTPMethod, _ target: String, to responder: some HTTPResponder) async throws -> Response {
    let request = Request(head: HTTPRequestHead(method: method, target: target))
    return try await responder.respond(to: request, context: RequestContext(logger: metricsQuietLogger))
}

/// Starts an `HTTPServer` on 127.0.0.1 with port 0, runs `body` with its
/// port, then shuts it down, also when `body` throws.
func withMetricsServer<T>(
    responder: some HTTPResponder,
    group: EventLoopGroup,
    _ body: (Int) async throws -> T
) async throws -> T {
    let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
    let server = HTTPServer(configuration: configuration, responder: responder, group: group, logger: metricsQuietLogger)
    try await server.start()
    do {
        let port = try #require(server.localAddress?.port)
        let result = try await body(port)
        await server.shutdown(gracePeriod: .seconds(2))
        return result
    } catch {
        await server.shutdown(gracePeriod: .seconds(2))
        throw error
    }
}

enum MetricsTestGroup {
    static let shared: EventLoopGroup = try! EventLoopGroup(loopCount: 1)
}

/// Returns the value of the sample line `series` (name and labels exactly as
/// rendered), or nil when the exposition has no such line.
func sampleValue(_ series: String, in exposition: String) -> String? {
    for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
        return String(line.dropFirst(series.count + 1))
    }
    return nil
}
