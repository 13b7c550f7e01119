import Foundation
import StratusHTTP
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
        var failures: [String] = []
        for endpoint in rotation() {
            let request = HTTPClientRequest(method: method, url: endpoint.url + path, headers: ["Content-Type": "application/json"], body: OutgoingBody(bytes: payload))
            do {
                let (response, bytes) = try await http.execute(request, collectingUpTo: 16 * 1024 * 1024)
                if response.status.code == 503 {
                    failures.append("\(endpoint.url): 503")
                    continue
                }
                preferred.store(endpoint.index, ordering: .relaxed)
                guard (200..<300).contains(response.status.code) else {
                    throw Self.error(status: response.status.code, body: bytes, request: "\(method) \(path)")
                }
                return bytes
            } catch let error as DiscoveryError {
                throw error
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
        var failures: [String] = []
        for endpoint in rotation() {
            let url = endpoint.url + "/api/v1/watch?service=\(service)&revision=\(revision)"
            do {
                let response = try await streamingHTTP.execute(HTTPClientRequest(method: .get, url: url))
                guard response.status.code == 200 else {
                    let body = (try? await response.body.collect(upTo: 64 * 1024)) ?? []
                    let error = Self.error(status: response.status.code, body: body, request: "watch \(service)")
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
        throw DiscoveryError(.unavailable, "no control-plane endpoint accepted the watch of \(service): " + failures.joined(separator: "; "))
    }
}
