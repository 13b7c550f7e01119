import Foundation
import StratusHTTP
import StratusLog
import StratusNet
import StratusTestSupport
import Synchronization

/// A logger that drops every record.
let quietLogger = Logger(label: "stratus.test") { NoOpLogHandler(label: $0) }

/// An upstream server in the test process on a free loopback port. It
/// records each request and responds by path:
/// - `/status/CODE`: that status.
/// - `/slow?ms=N`: 200 after N milliseconds.
/// - `/slow/held`: 200 once the test calls `release()`.
/// - `/chunked?chunks=N`: N chunks of "chunk\n" without a length.
/// - `/upload`: reads the body as it streams and returns its length.
/// - anything else: JSON describing the request as received.
final class EchoUpstream: Sendable {
    let name: String
    let server: HTTPServer
    let port: Int
    private let received = Mutex<[HTTPRequestHead]>([])
    /// The gate that `release()` opens and that held requests wait for.
    private let gate = Gate()

    var endpoint: String { "127.0.0.1:\(port)" }

    /// The heads of the requests received so far.
    var requests: [HTTPRequestHead] { received.withLock { $0 } }

    private init(name: String, server: HTTPServer, port: Int) {
        self.name = name
        self.server = server
        self.port = port
    }

    static func start(name: String = "echo") async throws -> EchoUpstream {
        let box = Mutex<EchoUpstream?>(nil)
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.limits.maxBodySize = .max
        let server = HTTPServer(configuration: configuration, responder: ClosureResponder { request, _ in
            let upstream = box.withLock { $0 }!
            upstream.received.withLock { $0.append(request.head) }
            return try await upstream.respond(to: request)
        }, logger: quietLogger)
        try await server.start()
        let upstream = EchoUpstream(name: name, server: server, port: server.localAddress!.port)
        box.withLock { $0 = upstream }
        return upstream
    }

    func stop() async {
        release()
        await server.shutdown(gracePeriod: .milliseconds(100))
    }

    /// Lets every held request respond, and those that come later at once.
    func release() {
        gate.open()
    }

    private func respond(to request: Request) async throws -> Response {
        let path = String(request.path)
        if path.hasPrefix("/status/"), let code = Int(path.dropFirst("/status/".count)) {
            return Response.text("\(name) \(code)\n", status: HTTPStatus(code: code))
        }
        switch path {
        case "/slow":
            let milliseconds = request.queryParameter("ms").flatMap { Int($0) } ?? 100
            try await Task.sleep(for: .milliseconds(milliseconds))
            return Response.text("\(name) slow\n")
        case "/slow/held":
            await gate.wait()
            return Response.text("\(name) held\n")
        case "/chunked":
            let chunks = request.queryParameter("chunks").flatMap { Int($0) } ?? 3
            return Response(body: OutgoingBody { writer in
                for _ in 0..<chunks {
                    try await writer.write("chunk\n")
                }
            })
        case "/upload":
            var total = 0
            for try await chunk in request.body {
                total += chunk.count
            }
            return Response.text("\(total)")
        default:
            return try describe(request)
        }
    }

    private func describe(_ request: Request) throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers {
            let key = field.name.lowercased()
            headers[key] = headers[key].map { "\($0), \(field.value)" } ?? field.value
        }
        let description: [String: Any] = [
            "instance": name, "method": request.method.rawValue, "target": request.head.target, "headers": headers,
        ]
        let data = try JSONSerialization.data(withJSONObject: description, options: [.sortedKeys])
        return Response(headers: ["Content-Type": "application/json", "X-Upstream": name], body: OutgoingBody(bytes: Array(data)))
    }
}

/// The JSON an `EchoUpstream` returns for an ordinary request.
struct EchoDescription {
    let instance: String
    let method: String
    let target: String
    let headers: [String: String]

    init(_ body: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
        instance = object["instance"] as? String ?? ""
        method = object["method"] as? String ?? ""
        target = object["target"] as? String ?? ""
        headers = object["headers"] as? [String: String] ?? [:]
    }
}
