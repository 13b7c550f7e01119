import Foundation
public import StratusAppSpec
public import StratusControlPlane
import StratusHTTP

/// A client of the control plane's apps API, for the `stratus` commands.
public struct AppsClient: Sendable {
    /// The control plane's base URL, such as http://127.0.0.1:7700.
    public let baseURL: String
    private let client: HTTPClient

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var configuration = HTTPClientConfiguration()
        configuration.connectTimeout = .seconds(2)
        configuration.requestTimeout = .seconds(10)
        client = HTTPClient(configuration: configuration)
    }

    public func apps() async throws(OrchestratorError) -> [String] {
        try await send("GET", "/api/v1/apps", as: AppList.self).apps
    }

    public func apply(_ spec: AppSpec) async throws(OrchestratorError) -> ApplyResult {
        try await send("PUT", "/api/v1/apps/\(spec.name)", body: spec, as: ApplyResult.self)
    }

    public func status(app: String) async throws(OrchestratorError) -> AppStatus {
        try await send("GET", "/api/v1/apps/\(app)/status", as: AppStatus.self)
    }

    public func document(app: String) async throws(OrchestratorError) -> AppDocument {
        try await send("GET", "/api/v1/apps/\(app)", as: AppDocument.self)
    }

    public func scale(app: String, service: String, replicas: Int) async throws(OrchestratorError) -> DeploymentState {
        try await send("PUT", "/api/v1/apps/\(app)/services/\(service)/scale", body: ScaleRequest(replicas: replicas), as: DeploymentState.self)
    }

    public func restart(app: String, service: String) async throws(OrchestratorError) -> DeploymentState {
        try await send("POST", "/api/v1/apps/\(app)/services/\(service)/restart", as: DeploymentState.self)
    }

    public func delete(app: String) async throws(OrchestratorError) {
        _ = try await exchange("DELETE", "/api/v1/apps/\(app)", body: nil)
    }

    public func shutdown() {
        client.shutdown()
    }

    private func send<Body: Encodable, Result: Decodable>(_ method: String, _ path: String, body: Body, as type: Result.Type) async throws(OrchestratorError) -> Result {
        let data: Data
        do {
            data = try SpecCoding.encoder().encode(body)
        } catch {
            throw OrchestratorError("cannot encode the request to \(path): \(error)")
        }
        return try decode(type, try await exchange(method, path, body: Array(data)), path: path)
    }

    private func send<Result: Decodable>(_ method: String, _ path: String, as type: Result.Type) async throws(OrchestratorError) -> Result {
        try decode(type, try await exchange(method, path, body: nil), path: path)
    }

    private func decode<Result: Decodable>(_ type: Result.Type, _ bytes: [UInt8], path: String) throws(OrchestratorError) -> Result {
        do {
            return try SpecCoding.decoder().decode(type, from: Data(bytes))
        } catch {
            throw OrchestratorError("the control plane at \(baseURL) sent an invalid response to \(path): \(error)")
        }
    }

    /// Sends a request and returns the body of a 2xx response; an error
    /// response becomes an `OrchestratorError` with its message and problems.
    private func exchange(_ method: String, _ path: String, body: [UInt8]?) async throws(OrchestratorError) -> [UInt8] {
        var request = HTTPClientRequest(method: HTTPMethod(rawValue: method), url: baseURL + path)
        if let body {
            request.headers["Content-Type"] = "application/json"
            request.body = OutgoingBody(bytes: body)
        }
        let response: HTTPClientResponse
        let bytes: [UInt8]
        do {
            (response, bytes) = try await client.execute(request, collectingUpTo: 16 << 20)
        } catch {
            throw OrchestratorError("cannot reach the control plane at \(baseURL): \(error); check that stratus up runs, or pass --control-plane URL")
        }
        guard (200..<300).contains(response.status.code) else {
            guard let failure = try? JSONDecoder().decode(AppErrorBody.self, from: Data(bytes)) else {
                throw OrchestratorError("\(method) \(path) failed with status \(response.status.code): \(String(decoding: bytes.prefix(500), as: UTF8.self))")
            }
            throw OrchestratorError(failure.error.message)
        }
        return bytes
    }
}
