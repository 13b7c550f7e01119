import Foundation
package import StratusHTTP
import Synchronization

/// An HTTP client of the control plane's API with failover between
/// control-plane endpoints.
///
/// Requests go to the endpoint that last responded. A request moves to the
/// next endpoint when the connection fails, times out or the endpoint
/// responds 503; every endpoint is tried once per request. Registry calls
/// are safe to repeat (a repeated registration or heartbeat has the same
/// effect), so no request is held back from failover.
///
/// Thread safety: all methods may be called from any task.
public final class ControlPlaneClient: Sendable {
    public let endpoints: [String]
    let http: HTTPClient
    /// A client with no read timeout for watch streams, which stay silent
    /// between events except for the server's keep-alive lines.
    let streamingHTTP: HTTPClient
    private let preferred = Atomic<Int>(0)

    /// - Parameter endpoints: control-plane base URLs such as
    ///   `http://127.0.0.1:7700`.
    /// - Throws: `DiscoveryError` with code `invalidArgument` naming an
    ///   endpoint that is not `http://host:port`.
    public init(endpoints: [String], requestTimeout: Duration = .seconds(5)) throws {
        guard !endpoints.isEmpty else {
            throw DiscoveryError(.invalidArgument, "missing control-plane endpoints: pass at least one, such as http://127.0.0.1:7700")
        }
        for endpoint in endpoints {
            try Self.validate(endpoint)
        }
        self.endpoints = endpoints.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        var configuration = HTTPClientConfiguration()
        configuration.connectTimeout = .seconds(2)
        configuration.requestTimeout = requestTimeout
        http = HTTPClient(configuration: configuration)
        var streaming = configuration
        streaming.readTimeout = .seconds(45)
        // Each watch keeps one connection open for as long as it runs, so a
        // connection limit (64 by default) would cap the discoveries sharing
        // this client: the first watch over it would wait for a free
        // connection and then fail. The open-file limit bounds them instead.
        streaming.maxConnectionsPerEndpoint = .max
        streamingHTTP = HTTPClient(configuration: streaming)
    }

    private static func validate(_ endpoint: String) throws {
        let rest = endpoint.hasPrefix("http://") ? endpoint.dropFirst("http://".count) : nil
        guard let rest, let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...].prefix { $0 != "/" }), (1...65_535).contains(port), colon != rest.startIndex else {
            throw DiscoveryError(.invalidArgument, "invalid control-plane endpoint \(endpoint): expected http://host:port, such as http://127.0.0.1:7700")
        }
    }

    /// Sends a request and decodes the JSON response body.
    func send<Answer: Decodable>(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, as: Answer.Type) async throws(DiscoveryError) -> Answer {
        let bytes = try await send(method, path, body: body)
        do {
            return try JSONDecoder().decode(Answer.self, from: Data(bytes))
        } catch {
            throw DiscoveryError(.invalidResponse, "cannot decode the response to \(method) \(path): \(error)")
        }
    }

    /// Sends a request and returns the body of a 2xx response.
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none) async throws(DiscoveryError) -> [UInt8] {
        var payload: [UInt8] = []
        if let body {
            do {
                payload = Array(try JSONEncoder().encode(body))
            } catch {
                throw DiscoveryError(.invalidArgument, "cannot encode the body of \(method) \(path): \(error)")
            }
        }
        let (status, bytes) = try await exchange(method, path, body: payload)
        guard (200..<300).contains(status) else {
            throw Self.error(status: status, body: bytes, request: "\(method) \(path)")
        }
        return bytes
    }

    /// Sends a request to the first endpoint that responds with a status
    /// other than 503, and returns that status and body.
    ///
    /// - Throws: `DiscoveryError` with code `unavailable` when no endpoint
    ///   responded, or every one responded 503; the message lists each
    ///   endpoint's failure.
    package func exchange(_ method: HTTPMethod, _ path: String, body: [UInt8] = [], timeout: Duration? = nil) async throws(DiscoveryError) -> (status: Int, body: [UInt8]) {
        var failures: [String] = []
        for endpoint in rotation() {
            let request = HTTPClientRequest(method: method, url: endpoint.url + path, headers: ["Content-Type": "application/json"], body: OutgoingBody(bytes: body))
            do {
                let (response, bytes) = try await http.execute(request, timeout: timeout, collectingUpTo: 16 * 1024 * 1024)
                if response.status.code == 503 {
                    failures.append("\(endpoint.url): 503 \(String(decoding: bytes.prefix(512), as: UTF8.self))")
                    continue
                }
                preferred.store(endpoint.index, ordering: .relaxed)
                return (response.status.code, bytes)
            } catch {
                failures.append("\(endpoint.url): \(error)")
            }
        }
        throw DiscoveryError(.unavailable, "no control-plane endpoint responded to \(method) \(path): " + failures.joined(separator: "; "))
    }

    /// Returns the endpoints, starting with the preferred one.
    func rotation() -> [(index: Int, url: String)] {
        let start = preferred.load(ordering: .relaxed)
        return (0..<endpoints.count).map { offset in
            let index = (start + offset) % endpoints.count
            return (index, endpoints[index])
        }
    }

    func markPreferred(_ index: Int) {
        preferred.store(index, ordering: .relaxed)
    }

    static func error(status: Int, body: [UInt8], request: String) -> DiscoveryError {
        guard let decoded = try? JSONDecoder().decode(APIErrorBody.self, from: Data(body)) else {
            return DiscoveryError(.invalidResponse, "\(request) failed with status \(status)")
        }
        let code = DiscoveryError.Code(rawValue: decoded.error.code) ?? .invalidResponse
        return DiscoveryError(code, decoded.error.message, detail: decoded.error)
    }

    deinit {
        http.shutdown()
        streamingHTTP.shutdown()
    }
}

extension ControlPlaneClient {
    /// Opens the registry watch of `service` on the first endpoint that
    /// accepts it, and returns the response whose body streams the events.
    func openWatch(service: String, from revision: Int64) async throws(DiscoveryError) -> HTTPClientResponse {
        try await openStream("/api/v1/watch?service=\(service)&revision=\(revision)", description: "watch of \(service)")
    }

    /// Opens a streaming GET on the first endpoint that accepts it, and
    /// returns the response whose body streams. A non-2xx status other than
    /// 503 throws the error the control plane sent.
    package func openStream(_ path: String, description: String) async throws(DiscoveryError) -> HTTPClientResponse {
        var failures: [String] = []
        for endpoint in rotation() {
            let url = endpoint.url + path
            do {
                let response = try await streamingHTTP.execute(HTTPClientRequest(method: .get, url: url))
                guard response.status.code == 200 else {
                    let body = (try? await response.body.collect(upTo: 64 * 1024)) ?? []
                    let error = Self.error(status: response.status.code, body: body, request: description)
                    if response.status.code == 503 {
                        failures.append("\(endpoint.url): \(error)")
                        continue
                    }
                    throw error
                }
                markPreferred(endpoint.index)
                return response
            } catch let error as DiscoveryError {
                throw error
            } catch {
                failures.append("\(endpoint.url): \(error)")
            }
        }
        throw DiscoveryError(.unavailable, "no control-plane endpoint accepted the \(description): " + failures.joined(separator: "; "))
    }
}
