/// Metadata keys that StratusHTTP logs under, defined once so that the server,
/// the client and the middleware use the same names.
package enum LogMetadataKey {
    package static let requestID = "request.id"
    package static let httpMethod = "http.method"
    package static let httpTarget = "http.target"
    package static let error = "error"
}
