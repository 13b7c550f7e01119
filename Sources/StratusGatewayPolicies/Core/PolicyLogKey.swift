import StratusTelemetry

/// Metadata keys of the policies' log events, defined once.
enum PolicyLogKey {
    static let policy = "gateway.policy"
    static let reason = "gateway.reason"
    /// The verifier's detail behind a reason, such as `bad_signature`.
    static let detail = "gateway.detail"
    static let consumer = "gateway.consumer"
    static let clientAddress = "client.address"
    static let route = "gateway.route"
    static let keyID = "jwt.kid"
    static let url = "url.full"
    static let limiter = "ratelimit.name"
    static let error = "error"
}

/// Text safe to log.
enum LogText {
    /// Returns `url` with the values of sensitive query parameters
    /// (`access_token`, `api_key`, ...) replaced by the telemetry `Redactor`.
    static func redactedURL(_ url: String) -> String {
        guard let mark = url.firstIndex(of: "?") else { return url }
        return String(url[...mark]) + Redactor.standard.redactQuery(url[url.index(after: mark)...])
    }

    /// Returns `text`, such as an HTTP client error, with every copy of
    /// `url` redacted as `redactedURL` does.
    static func redacting(_ url: String, in text: String) -> String {
        let redacted = redactedURL(url)
        guard redacted != url else { return text }
        return text.split(separator: url, omittingEmptySubsequences: false).joined(separator: redacted)
    }
}
