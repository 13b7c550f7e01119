import Foundation
public import StratusDiscovery
import StratusHTTP

/// An HTTP client of the control plane's config-center API, with the
/// failover between control-plane endpoints of `ControlPlaneClient`.
///
/// The `stratus config` commands and `RemoteConfiguration` use it. Every
/// method throws `ConfigCenterError` with the control plane's code and
/// message, or `unavailable` when no endpoint responded.
///
/// Thread safety: all methods may be called from any task.
public struct ConfigCenterClient: Sendable {
    public let controlPlane: ControlPlaneClient

    public init(controlPlane: ControlPlaneClient) {
        self.controlPlane = controlPlane
    }

    /// - Throws: `ConfigCenterError` with code `invalidArgument` naming an
    ///   endpoint that is not `http://host:port`.
    public init(endpoints: [String], requestTimeout: Duration = .seconds(10)) throws(ConfigCenterError) {
        do {
            controlPlane = try ControlPlaneClient(endpoints: endpoints, requestTimeout: requestTimeout)
        } catch let error as DiscoveryError {
            throw ConfigCenterError(.invalidArgument, error.message)
        } catch {
            throw ConfigCenterError(.invalidArgument, "\(error)")
        }
    }

    /// The path of a namespace's API.
    static func path(_ namespace: NamespaceCoordinates, _ suffix: String = "") -> String {
        "/api/v1/config/apps/\(namespace.application)/envs/\(namespace.environment)/namespaces/\(namespace.namespace)\(suffix)"
    }

    /// Percent-encodes a query parameter value.
    static func query(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// Sends a request and decodes a 2xx response as `Answer`.
    func send<Answer: Decodable>(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, as: Answer.Type) async throws(ConfigCenterError) -> Answer {
        let bytes = try await send(method, path, body: body)
        do {
            return try ConfigJSON.decode(Answer.self, from: bytes)
        } catch {
            throw ConfigCenterError(.invalidResponse, "cannot read the control plane's response to \(method) \(path): \(error)")
        }
    }

    /// Sends a request and returns the body of a 2xx response.
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none) async throws(ConfigCenterError) -> [UInt8] {
        var payload: [UInt8] = []
        if let body {
            do {
                payload = try ConfigJSON.encode(body)
            } catch {
                throw ConfigCenterError(.invalidArgument, "cannot encode the body of \(method) \(path): \(error)")
            }
        }
        let status: Int
        let bytes: [UInt8]
        do {
            (status, bytes) = try await controlPlane.exchange(method, path, body: payload)
        } catch {
            throw Self.convert(error)
        }
        guard (200..<300).contains(status) else {
            throw Self.error(status: status, body: bytes, request: "\(method) \(path)")
        }
        return bytes
    }

    /// The error a non-2xx response carries.
    static func error(status: Int, body: [UInt8], request: String) -> ConfigCenterError {
        guard let decoded = try? ConfigJSON.decode(ConfigErrorBody.self, from: body) else {
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            return ConfigCenterError(.invalidResponse, "\(request) failed with status \(status): \(text); is the address a Stratus control plane?")
        }
        return decoded.configCenterError
    }

    static func convert(_ error: DiscoveryError) -> ConfigCenterError {
        let code = ConfigCenterError.Code(rawValue: error.code.rawValue) ?? .unavailable
        return ConfigCenterError(code, error.message)
    }
}
