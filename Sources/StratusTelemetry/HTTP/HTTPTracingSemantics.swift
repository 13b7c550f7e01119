import StratusHTTP

/// Span names and attribute values of the OpenTelemetry semantic conventions
/// for HTTP spans (stable since version 1.23), shared by the server and
/// client tracing middleware.
enum HTTPTracingSemantics {
    /// Returns whether the conventions know `method`. Others are reported as
    /// `_OTHER`, so that a client sending random methods cannot create
    /// unbounded span names. A switch over the nine names avoids hashing
    /// the method on every request, as a set lookup would.
    static func isKnownMethod(_ method: HTTPMethod) -> Bool {
        switch method.rawValue {
        case "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "CONNECT", "TRACE": true
        default: false
        }
    }

    /// Query parameters whose values the conventions ask to redact by
    /// default, because they carry signatures or credentials.
    static let redactedQueryParameters: Set<Substring> = ["AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature"]

    /// The span name: `{method} {route}` for a server span with a matched
    /// route, otherwise `{method}`, with `HTTP` for an unknown method.
    static func spanName(method: HTTPMethod, route: String?) -> String {
        let name = isKnownMethod(method) ? method.rawValue : "HTTP"
        guard let route else { return name }
        return name + " " + route
    }

    /// Sets `http.request.method`, and `http.request.method_original` when
    /// the method is not a known one. The attributes must not contain these
    /// keys yet.
    static func setMethod(_ method: HTTPMethod, on attributes: inout SpanAttributes) {
        if isKnownMethod(method) {
            attributes.append(.string(method.rawValue), forNewKey: "http.request.method")
        } else {
            attributes.append(.string("_OTHER"), forNewKey: "http.request.method")
            attributes.append(.string(method.rawValue), forNewKey: "http.request.method_original")
        }
    }

    /// `1.1` for `HTTP/1.1`, as `network.protocol.version` is written.
    static func protocolVersion(_ version: HTTPVersion) -> String {
        switch (version.major, version.minor) {
        case (1, 1): "1.1"
        case (1, 0): "1.0"
        default: "\(version.major).\(version.minor)"
        }
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
        guard span.isRecording else { return }
        span.setAttribute(.int64(Int64(status)), forKey: "http.response.status_code")
        if status >= threshold {
            span.setAttribute(.string(String(status)), forKey: "error.type")
            span.setStatus(.error())
        }
    }

    /// Records an error that ended the request without a response.
    static func recordThrownError(_ error: any Error, errorType: String, on span: any Span) {
        span.recordError(error)
        span.setAttribute(.string(errorType), forKey: "error.type")
        span.setStatus(.error("\(error)"))
    }
}
