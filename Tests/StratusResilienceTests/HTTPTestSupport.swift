import Foundation
import StratusHTTP
import StratusLog
import StratusNet
import StratusResilience
import Testing

/// A logger that drops every record.
let quietLogger = Logger(label: "stratus.test") { NoOpLogHandler(label: $0) }

/// Builds a router with `middleware` and one `GET /work` route running
/// `handler`, and returns its responder.
func responder(
    _ middleware: [any RouterMiddleware],
    handler: @escaping @Sendable (Request, RequestContext) async throws -> Response = { _, _ in Response.text("done") }
) -> some HTTPResponder {
    let router = Router()
    for layer in middleware {
        router.add(middleware: layer)
    }
    router.get("/work", use: handler)
    router.get("/other", use: handler)
    return router.buildResponder()
}

/// Sends `GET path` to `responder` in memory, with `headers` and `remoteAddress`.
func get(
    _ path: String = "/work",
    from responder: some HTTPResponder,
    headers: HTTPFields = [:],
    remoteAddress: String? = "127.0.0.1:40000"
) async throws -> Response {
    let request = Request(head: HTTPRequestHead(method: .get, target: path, headers: headers))
    return try await responder.respond(to: request, context: RequestContext(remoteAddress: remoteAddress, logger: quietLogger))
}

/// Returns the text of a response whose body is bytes.
func bodyText(_ response: Response) async throws -> String {
    guard case .bytes(let bytes) = response.body.storage else {
        Issue.record("expected a body of bytes")
        return ""
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Parses a JSON object and returns its fields.
func jsonObject(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any], "expected a JSON object, got \(text)")
}

/// Starts an HTTP server for `responder` on 127.0.0.1 with a kernel-chosen
/// port and its own event loop, runs `body` with the port, then stops it.
func withServer(responder: some HTTPResponder, _ body: (Int) async throws -> Void) async throws {
    let group = try EventLoopGroup(loopCount: 1)
    let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: responder, group: group, logger: quietLogger)
    do {
        try await server.start()
    } catch {
        group.shutdown()
        throw error
    }
    var failure: (any Error)?
    do {
        try await body(try #require(server.localAddress?.port))
    } catch {
        failure = error
    }
    await server.shutdown(gracePeriod: .seconds(1))
    group.shutdown()
    if let failure {
        throw failure
    }
}

/// Polls `condition` every millisecond until it holds, for at most `timeout`.
func waitUntil(_ what: String, timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting until \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}
