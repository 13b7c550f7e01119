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

    /// Splits `host`, `host:port` or `[v6]:port` (a `Host` field or a URL
    /// authority) into the host without brackets and the port, if any.
    ///
    /// It scans UTF-8 bytes, which is cheaper than searching Characters and
    /// runs for every traced request.
    static func splitHostPort(_ authority: Substring) -> (host: Substring, port: Int?) {
        let utf8 = authority.utf8
        let colon = UInt8(ascii: ":")
        if utf8.first == UInt8(ascii: "["), let close = utf8.firstIndex(of: UInt8(ascii: "]")) {
            let host = authority[utf8.index(after: utf8.startIndex)..<close]
            let rest = utf8[utf8.index(after: close)...]
            return (host, rest.first == colon ? parsePort(rest.dropFirst()) : nil)
        }
        guard let last = utf8.lastIndex(of: colon), utf8.firstIndex(of: colon) == last else {
            return (authority, nil)
        }
        return (authority[..<last], parsePort(utf8[utf8.index(after: last)...]))
    }

    /// Parses the port as `Int(_:)` does, with a fast path for plain digits
    /// that skips its generic text parsing.
    private static func parsePort(_ digits: Substring.UTF8View.SubSequence) -> Int? {
        guard digits.count <= 18 else { return Int(Substring(digits)) }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return Int(Substring(digits)) }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return digits.isEmpty ? nil : value
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
