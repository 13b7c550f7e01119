import Foundation
import StratusDiscovery
public import StratusHTTP

/// Typed JSON calls. Each sends `Accept: application/json` (and
/// `Content-Type: application/json` with a body), throws
/// `unexpectedStatus` for a non-2xx response, and decodes a 2xx body as
/// `Output` with a default `JSONDecoder`.
extension ServiceClient {
    /// Sends a GET and decodes the response body.
    public func get<Output: Decodable>(_ path: String, as type: Output.Type = Output.self, headers: HTTPFields = [:]) async throws(ServiceClientError) -> Output {
        try await sendJSON(ServiceRequest(method: .get, path: path, headers: headers), as: type)
    }

    /// Sends a POST with `body` encoded as JSON and decodes the response body.
    /// A POST is retried only with an `Idempotency-Key` header.
    public func post<Body: Encodable, Output: Decodable>(
        _ path: String, json body: Body, as type: Output.Type = Output.self, headers: HTTPFields = [:]
    ) async throws(ServiceClientError) -> Output {
        try await sendJSON(try jsonRequest(.post, path, body: body, headers: headers), as: type)
    }

    /// Sends a POST with `body` encoded as JSON and returns the 2xx response
    /// without decoding it, for endpoints that respond without a body.
    @discardableResult
    public func post<Body: Encodable>(_ path: String, json body: Body, headers: HTTPFields = [:]) async throws(ServiceClientError) -> ServiceResponse {
        let request = try jsonRequest(.post, path, body: body, headers: headers)
        return try checkSuccess(try await send(request), of: request)
    }

    /// Sends a PUT with `body` encoded as JSON and decodes the response body.
    public func put<Body: Encodable, Output: Decodable>(
        _ path: String, json body: Body, as type: Output.Type = Output.self, headers: HTTPFields = [:]
    ) async throws(ServiceClientError) -> Output {
        try await sendJSON(try jsonRequest(.put, path, body: body, headers: headers), as: type)
    }

    /// Sends a DELETE and returns the 2xx response without decoding it.
    @discardableResult
    public func delete(_ path: String, headers: HTTPFields = [:]) async throws(ServiceClientError) -> ServiceResponse {
        let request = ServiceRequest(method: .delete, path: path, headers: headers)
        return try checkSuccess(try await send(request), of: request)
    }

    /// Sends a DELETE and decodes the response body.
    public func delete<Output: Decodable>(_ path: String, as type: Output.Type, headers: HTTPFields = [:]) async throws(ServiceClientError) -> Output {
        try await sendJSON(ServiceRequest(method: .delete, path: path, headers: headers), as: type)
    }

    /// Sends `request` and decodes the 2xx response body as `Output`.
    public func sendJSON<Output: Decodable>(_ request: ServiceRequest, as type: Output.Type = Output.self) async throws(ServiceClientError) -> Output {
        var request = request
        if !request.headers.contains("Accept") {
            request.headers.append("Accept", "application/json")
        }
        let response = try checkSuccess(try await send(request), of: request)
        do {
            return try JSONDecoder().decode(Output.self, from: Data(response.body))
        } catch let error as DecodingError {
            throw ServiceClientError(
                .decodingFailed, service: service,
                "cannot decode the response to \(request.method) \(request.path) from \(service) as \(Output.self): \(Self.describe(error))",
                status: response.status.code, attempts: response.attempts
            )
        } catch {
            throw ServiceClientError(.decodingFailed, service: service, "cannot decode the response to \(request.method) \(request.path) from \(service) as \(Output.self): \(error)", attempts: response.attempts)
        }
    }

    private func jsonRequest(_ method: HTTPMethod, _ path: String, body: some Encodable, headers: HTTPFields) throws(ServiceClientError) -> ServiceRequest {
        let bytes: [UInt8]
        do {
            bytes = Array(try JSONEncoder().encode(body))
        } catch {
            throw ServiceClientError(.encodingFailed, service: service, "cannot encode the body of \(method) \(path) to \(service) as JSON: \(error)")
        }
        var headers = headers
        if !headers.contains("Content-Type") {
            headers.append("Content-Type", "application/json")
        }
        return ServiceRequest(method: method, path: path, headers: headers, body: bytes)
    }

    /// Returns `response` when its status is 2xx, else throws
    /// `unexpectedStatus` with the message of the service's error body.
    public func checkSuccess(_ response: ServiceResponse, of request: ServiceRequest) throws(ServiceClientError) -> ServiceResponse {
        guard !response.isSuccess else { return response }
        let error = ServiceErrorBody(response.body)
        let code = error.code.map { " (code \($0))" } ?? ""
        throw ServiceClientError(
            .unexpectedStatus, service: service,
            "\(request.method) \(request.path) on \(service) failed with status \(response.status) from instance \(response.instance.id)\(code): \(error.message)",
            status: response.status.code, serverCode: error.code, attempts: response.attempts
        )
    }

    /// Describes a decoding error with the path of the value at fault, such
    /// as `profile.emails[0]`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let joined = codingPath.reduce(into: "") { text, key in
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return joined.isEmpty ? "the top level" : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\" at \(path(context.codingPath))"
        case .typeMismatch(let type, let context):
            return "expected \(type) at \(path(context.codingPath)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "expected \(type) but found null at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            return "invalid JSON at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
