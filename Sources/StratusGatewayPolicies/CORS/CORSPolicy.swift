public import StratusHTTP

/// The decisions of the `cors` policy, without I/O.
///
/// - The gateway responds to a preflight request (`OPTIONS` with `Origin`
///   and `Access-Control-Request-Method`) itself: 204 with the
///   `Access-Control-Allow-*` fields when the origin, the method and every
///   requested header field are allowed, else 403 `cors_rejected`.
/// - Another request with an allowed `Origin` gets
///   `Access-Control-Allow-Origin` (the origin itself, or `*` when every
///   origin is allowed without credentials), the credentials flag and
///   `Access-Control-Expose-Headers` on its response. One from another
///   origin is forwarded without them, so the browser withholds the
///   response from the page. The upstream still receives the request, as it
///   would without CORS.
/// - Responses whose fields depend on `Origin` carry `Vary: Origin`.
public struct CORSPolicy: Sendable {
    public let configuration: CORSConfiguration
    private let patterns: [OriginPattern]
    private let allowsAnyMethod: Bool
    private let allowsAnyHeader: Bool
    private let allowedHeaders: Set<String>

    public init(configuration: CORSConfiguration) throws(PolicyConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        var patterns: [OriginPattern] = []
        for (index, origin) in configuration.allowOrigins.enumerated() {
            patterns.append(try OriginPattern(origin, field: "allowOrigins[\(index)]"))
        }
        self.patterns = patterns
        allowsAnyMethod = configuration.allowMethods.contains("*")
        allowsAnyHeader = configuration.allowHeaders.contains("*")
        allowedHeaders = Set(configuration.allowHeaders.map { $0.lowercased() })
    }

    /// Returns whether `request` is a preflight request.
    public static func isPreflight(_ request: Request) -> Bool {
        request.method == .options && request.headers.contains("Origin") && request.headers.contains("Access-Control-Request-Method")
    }

    /// The response fields for a preflight request, or its rejection.
    public enum PreflightResult: Sendable {
        case allowed(HTTPFields)
        /// `detail` names what was not allowed, for the gateway's log.
        case rejected(detail: String)
    }

    public func preflight(_ request: Request) -> PreflightResult {
        guard let originText = request.headers["Origin"], let origin = Origin(originText), allows(origin) else {
            return .rejected(detail: "origin not allowed")
        }
        let method = request.headers["Access-Control-Request-Method"] ?? ""
        guard allowsAnyMethod || configuration.allowMethods.contains(method) else {
            return .rejected(detail: "method not allowed")
        }
        let requested = request.headers.values(for: "Access-Control-Request-Headers").flatMap { value in
            value.split(separator: ",").map { String($0.trimmingASCIISpaces()).lowercased() }.filter { !$0.isEmpty }
        }
        guard allowsAnyHeader || requested.allSatisfy(allowedHeaders.contains) else {
            return .rejected(detail: "header not allowed")
        }
        var fields = originFields(originText)
        fields.append("Access-Control-Allow-Methods", allowsAnyMethod ? method : configuration.allowMethods.joined(separator: ", "))
        let headers = allowsAnyHeader ? requested : configuration.allowHeaders
        if !headers.isEmpty {
            fields.append("Access-Control-Allow-Headers", headers.joined(separator: ", "))
        }
        fields.append("Access-Control-Max-Age", String(configuration.maxAge.components.seconds))
        fields.append("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
        return .allowed(fields)
    }

    /// Adds the CORS fields for a request's `Origin` to its response.
    public func addResponseFields(origin originText: String?, to headers: inout HTTPFields) {
        if !isAnyOriginWithoutCredentials {
            headers.append("Vary", "Origin")
        }
        guard let originText, let origin = Origin(originText), allows(origin) else { return }
        for field in originFields(originText) {
            headers.append(field)
        }
        if !configuration.exposeHeaders.isEmpty {
            headers.append("Access-Control-Expose-Headers", configuration.exposeHeaders.joined(separator: ", "))
        }
    }

    private var isAnyOriginWithoutCredentials: Bool {
        patterns.contains(.any) && !configuration.allowCredentials
    }

    private func allows(_ origin: Origin) -> Bool {
        patterns.contains { $0.matches(origin) }
    }

    private func originFields(_ origin: String) -> HTTPFields {
        var fields = HTTPFields()
        fields.append("Access-Control-Allow-Origin", isAnyOriginWithoutCredentials ? "*" : origin)
        if configuration.allowCredentials {
            fields.append("Access-Control-Allow-Credentials", "true")
        }
        return fields
    }
}
