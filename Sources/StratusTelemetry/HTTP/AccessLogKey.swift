import StratusHTTP

/// Metadata keys of access log lines, defined once. The names follow the
/// OpenTelemetry HTTP semantic conventions where one exists, and share
/// `request.id` and `http.method` with StratusHTTP's own logs.
enum AccessLogKey {
    static let httpMethod = LogMetadataKey.httpMethod
    static let httpRoute = "http.route"
    static let urlPath = "url.path"
    static let httpStatus = "http.status"
    static let durationMilliseconds = "duration_ms"
    static let responseBodySize = "http.response.body.size"
    static let requestID = LogMetadataKey.requestID
    static let clientAddress = "client.address"
    static let errorType = "error.type"
}
