import StratusHTTP
import StratusLog

/// The values of one access log line, kept as plain fields until the line is
/// written, so that the JSON handler can write them without building a
/// metadata dictionary. `AccessLogMiddleware` documents each field.
struct AccessLogEntry: Sendable {
    /// One metadata member of the line.
    enum Field: CaseIterable, Sendable {
        case httpMethod, httpRoute, urlPath, httpStatus, durationMilliseconds
        case responseBodySize, requestID, clientAddress, errorType

        var key: String {
            switch self {
            case .httpMethod: AccessLogKey.httpMethod
            case .httpRoute: AccessLogKey.httpRoute
            case .urlPath: AccessLogKey.urlPath
            case .httpStatus: AccessLogKey.httpStatus
            case .durationMilliseconds: AccessLogKey.durationMilliseconds
            case .responseBodySize: AccessLogKey.responseBodySize
            case .requestID: AccessLogKey.requestID
            case .clientAddress: AccessLogKey.clientAddress
            case .errorType: AccessLogKey.errorType
            }
        }
    }

    /// The message of every access log line.
    static let message: Logger.Message = "request"

    // Known when the request arrives.
    var method: String
    var route: String?
    var path: String
    /// Nil when the request has no id.
    var requestID: String?
    var clientAddress: String?

    // Known when the response is.
    var status = 0
    var durationMicroseconds: UInt64 = 0
    var bodySize: Int?
    var errorType: String?

    init(method: String, route: String?, path: String, requestID: String?, clientAddress: String?) {
        self.method = method
        self.route = route
        self.path = path
        self.requestID = requestID
        self.clientAddress = clientAddress
    }

    /// Returns the entry with the fields known when the response is.
    func finished(status: HTTPStatus, durationNanoseconds: UInt64, bodySize: Int?, error: (any Error)?) -> AccessLogEntry {
        var entry = self
        entry.status = status.code
        // Whole microseconds, written as milliseconds with three decimals.
        entry.durationMicroseconds = durationNanoseconds / 1_000
        entry.bodySize = bodySize
        entry.errorType = error.map { String(reflecting: type(of: $0)) }
        return entry
    }

    /// Returns true when the line has a value for `field`.
    func contains(_ field: Field) -> Bool {
        switch field {
        case .httpMethod, .urlPath, .httpStatus, .durationMilliseconds: true
        case .httpRoute: route != nil
        case .responseBodySize: bodySize != nil
        case .requestID: requestID != nil
        case .clientAddress: clientAddress != nil
        case .errorType: errorType != nil
        }
    }

    /// The fields as metadata, for handlers other than `JSONLogHandler`.
    var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            AccessLogKey.httpMethod: .string(method),
            AccessLogKey.urlPath: .string(path),
            AccessLogKey.httpStatus: .stringConvertible(status),
            AccessLogKey.durationMilliseconds: .stringConvertible(Double(durationMicroseconds) / 1_000),
        ]
        metadata[AccessLogKey.httpRoute] = route.map { .string($0) }
        metadata[AccessLogKey.requestID] = requestID.map { .string($0) }
        metadata[AccessLogKey.clientAddress] = clientAddress.map { .string($0) }
        metadata[AccessLogKey.responseBodySize] = bodySize.map { .stringConvertible($0) }
        metadata[AccessLogKey.errorType] = errorType.map { .string($0) }
        return metadata
    }
}
