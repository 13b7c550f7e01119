import Foundation
import StratusHTTP

/// The pure part of external authorization: what is sent to the service
/// for a request, and what its response means.
///
/// The check is a `POST` with a JSON body whose keys are sorted, so equal
/// requests give equal bytes (the cache key is their SHA-256):
///
/// ```json
/// {"client_ip":"203.0.113.7","consumer":"billing-app","headers":{"authorization":"Bearer eyJ..."},"method":"GET","path":"/v1/invoices/7","query":"expand=lines"}
/// ```
///
/// Header names are lowercase; several fields of one name are joined with
/// `, `. `client_ip` and `consumer` are absent when unknown.
///
/// The service allows with 200, optionally returning `upstreamHeaders` to
/// add to the forwarded request, and denies with 401 or 403. Any other
/// status is a failure of the check.
public struct ExternalAuthorizer: Sendable {
    public let configuration: ExtAuthzConfiguration

    public init(configuration: ExtAuthzConfiguration) throws(PolicyConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The body of a check.
    struct CheckRequest: Encodable, Sendable {
        var method: String
        var path: String
        var query: String?
        var headers: [String: String]
        var clientIP: String?
        var consumer: String?

        enum CodingKeys: String, CodingKey {
            case method, path, query, headers
            case clientIP = "client_ip"
            case consumer
        }
    }

    /// A check ready to send, with the key its decision is cached under.
    struct Check: Sendable {
        let body: [UInt8]
        let cacheKey: SHA256Digest
    }

    /// The service's decision.
    enum Decision: Sendable, Hashable {
        /// Let the request through, with these fields for the upstream.
        case allow(headers: [HTTPField])
        /// Reject with `status` (401 or 403) and the service's challenge.
        case deny(status: Int, challenge: String?)
    }

    func makeCheck(_ request: Request, clientAddress: IPAddress?, consumer: GatewayConsumer?) -> Check {
        var headers: [String: String] = [:]
        for name in configuration.forwardHeaders {
            let values = request.headers.values(for: name)
            if !values.isEmpty {
                headers[name.lowercased()] = values.joined(separator: ", ")
            }
        }
        let check = CheckRequest(
            method: request.method.rawValue,
            path: String(request.path),
            query: request.query.map(String.init),
            headers: headers,
            clientIP: clientAddress?.description,
            consumer: consumer?.username
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSONEncoder fails only on non-finite numbers, and the check has
        // only strings.
        let body = Array((try? encoder.encode(check)) ?? Data())
        return Check(body: body, cacheKey: SHA256Digest(of: body))
    }

    /// Interprets the service's response, or returns nil when its status
    /// makes the check a failure.
    func decision(status: Int, headers: HTTPFields) -> Decision? {
        switch status {
        case 200:
            let copied = configuration.upstreamHeaders.flatMap { name in
                headers.values(for: name).map { HTTPField(name: name, value: $0) }
            }
            return .allow(headers: copied)
        case 401, 403:
            // A challenge goes to the client as it is, so only a plain
            // single-line value is passed on.
            let challenge = headers["WWW-Authenticate"].flatMap { ConsumerHeaders.isHeaderSafe($0) ? $0 : nil }
            return .deny(status: status, challenge: status == 401 ? challenge : nil)
        default:
            return nil
        }
    }

    /// Returns `request` without the client's fields named in
    /// `upstreamHeaders`, which only the service may set.
    func removingUpstreamHeaders(from request: Request) -> Request {
        var request = request
        for name in configuration.upstreamHeaders {
            request.headers.remove(name)
        }
        return request
    }

    /// Returns the failure for a denial.
    func failure(for denial: (status: Int, challenge: String?)) -> PolicyFailure {
        guard denial.status == 401 else {
            return PolicyFailure(.accessDenied, status: .forbidden)
        }
        let challenge = denial.challenge ?? "Bearer " + .quotedRealm(configuration.realm)
        return PolicyFailure(.accessDenied, status: .unauthorized, challenges: [challenge])
    }
}
