public import StratusHTTP

/// The request header fields that tell the upstream who the consumer is.
///
/// The gateway removes every one of them from the client's request before
/// it sets its own, so a client cannot claim to be another consumer. The
/// authentication middleware does that on routes with authentication; on
/// other routes the gateway must call `remove(from:)` (or add
/// `ConsumerHeaderSanitizer`) itself.
public enum ConsumerHeaders {
    public static let username = "X-Consumer-Username"
    public static let customID = "X-Consumer-Custom-Id"
    /// `true` when the request used the route's anonymous consumer.
    public static let anonymous = "X-Anonymous-Consumer"
    /// A token's `sub` claim or a Basic user name.
    public static let subject = "X-Authenticated-Subject"

    public static let all = [username, customID, anonymous, subject]

    /// Removes every consumer field from `headers`, in one pass over them.
    public static func remove(from headers: inout HTTPFields) {
        headers.removeAll { field in
            // The names are 19 to 23 bytes long and start with X, which rules out most fields at once.
            let name = field.name
            guard (19...23).contains(name.utf8.count), let first = name.utf8.first, first | 0x20 == UInt8(ascii: "x") else { return false }
            return all.contains { name.equalsIgnoringASCIICase($0) }
        }
    }

    /// Replaces the consumer fields of `headers` with those of `consumer`.
    public static func set(_ consumer: GatewayConsumer, in headers: inout HTTPFields) {
        remove(from: &headers)
        append(consumer, to: &headers)
    }

    /// Adds the consumer fields of `consumer` to `headers`, which must have
    /// none yet.
    static func append(_ consumer: GatewayConsumer, to headers: inout HTTPFields) {
        headers.append(username, consumer.username)
        if let value = consumer.customID {
            headers.append(customID, value)
        }
        if consumer.isAnonymous {
            headers.append(anonymous, "true")
        }
        if let value = consumer.authentication?.subject, isHeaderSafe(value) {
            headers.append(subject, value)
        }
    }

    /// Returns whether a value can be sent as a field value as it is:
    /// visible ASCII and spaces, without leading or trailing space. A
    /// token's subject that fails this is left out rather than altered.
    static func isHeaderSafe(_ value: String) -> Bool {
        guard let first = value.utf8.first, let last = value.utf8.last, first != 0x20, last != 0x20 else { return false }
        return value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }
}

/// Removes the consumer fields that a client sent, for routes without
/// authentication; see `ConsumerHeaders`.
public struct ConsumerHeaderSanitizer: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        guard GatewayConsumer.current == nil else {
            return try await next(request, context)
        }
        var request = request
        ConsumerHeaders.remove(from: &request.headers)
        return try await next(request, context)
    }
}
