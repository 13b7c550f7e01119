import StratusHTTP

/// Span names and attribute values of the OpenTelemetry semantic conventions
/// for HTTP spans (stable since version 1.23), shared by the server and
/// client tracing middleware.
enum HTTPTracingSemantics {
    /// The methods the conventions know. Others are reported as `_OTHER`,
    /// so that a client sending random methods cannot create unbounded span
    /// names.
    static let knownMethods: Set<String> = ["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"]

    /// Query parameters whose values the conventions ask to redact by
    /// default, because they carry signatures or credentials.
    static let redactedQueryParameters: Set<Substring> = ["AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature"]

    /// The span name: `{method} {route}` for a server span with a matched
    /// route, otherwise `{method}`, with `HTTP` for an unknown method.
    static func spanName(method: HTTPMethod, route: String?) -> String {
        let name = knownMethods.contains(method.rawValue) ? method.rawValue : "HTTP"
        guard let route else { return name }
        return name + " " + route
    }

    /// Sets `http.request.method`, and `http.request.method_original` when
    /// the method is not a known one.
    static func setMethod(_ method: HTTPMethod, on attributes: inout SpanAttributes) {
        if knownMethods.contains(method.rawValue) {
            attributes["http.request.method"] = method.rawValue
        } else {
            attributes["http.request.method"] = "_OTHER"
            attributes["http.request.method_original"] = method.rawValue
        }
    }

    /// `1.1` for `HTTP/1.1`, as `network.protocol.version` is written.
    static func protocolVersion(_ version: HTTPVersion) -> String {
        "\(version.major).\(version.minor)"
    }

    /// Splits `host`, `host:port` or `[v6]:port` (a `Host` field or a URL
    /// authority) into the host without brackets and the port, if any.
    static func splitHostPort(_ authority: Substring) -> (host: Substring, port: Int?) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        guard let colon = authority.lastIndex(of: ":"), authority.firstIndex(of: ":") == colon else {
            return (authority, nil)
        }
        return (authority[..<colon], Int(authority[authority.index(after: colon)...]))
    }

    /// Replaces the values of `redactedQueryParameters` with `REDACTED`.
    static func redactQuery(_ query: Substring) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            guard let equals = pair.firstIndex(of: "="), redactedQueryParameters.contains(pair[..<equals]) else {
                return String(pair)
            }
            return pair[..<equals] + "=REDACTED"
        }.joined(separator: "&")
    }

    /// Sets the status attribute, and the error status the conventions require:
    /// 5xx on servers, 4xx and 5xx on clients, with `error.type` set to the
    /// status code.
    static func recordResponseStatus(_ status: Int, on span: any Span, errorFrom threshold: Int) {
        span.updateAttributes { attributes in
            attributes["http.response.status_code"] = status
            if status >= threshold {
                attributes["error.type"] = String(status)
            }
        }
        if status >= threshold {
            span.setStatus(.error())
        }
    }

    /// Records an error that ended the request without a response.
    static func recordThrownError(_ error: any Error, errorType: String, on span: any Span) {
        span.recordError(error)
        span.attributes["error.type"] = errorType
        span.setStatus(.error("\(error)"))
    }
}
