import StratusLog

/// Gives every request an id in `X-Request-Id`, for correlating logs across
/// services.
///
/// The id comes from the request's `X-Request-Id` when the request has exactly
/// one such field whose value is 1 to 128 characters of `A-Z a-z 0-9 . _ : -`.
/// Otherwise the middleware generates an id, because a client-supplied value
/// reaches logs and upstream services and must not carry spaces, quotes or
/// line breaks. A generated id is a random 64-bit prefix chosen once per
/// process plus a counter: unique within a process run, but predictable, so
/// never use it as a secret. The middleware then:
/// - sets the request's `X-Request-Id` field to the id, for handlers that
///   forward headers upstream.
/// - sets `context.requestID`, which `context.logger` adds as `request.id` metadata.
/// - sets `X-Request-Id` on the response, and on the headers of a thrown
///   `HTTPError`. Other errors pass through unchanged, so add
///   `RecoveryMiddleware` after this middleware (inside it) to give error
///   responses the header too.
public struct RequestIDMiddleware: RouterMiddleware {
    static let headerName = "X-Request-Id"
    static let maximumLength = 128

    public init() {}

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let accepted = Self.acceptedID(in: request.headers)
        let id = accepted ?? RequestIDGenerator.shared.next()
        var request = request
        if accepted == nil {
            // Replaces a missing, repeated or invalid id; an accepted one is already there.
            request.headers.set(Self.headerName, id)
        }
        var context = context
        context.requestID = id
        do {
            var response = try await next(request, context)
            response.headers.set(Self.headerName, id)
            return response
        } catch var error as HTTPError {
            error.headers.set(Self.headerName, id)
            throw error
        }
    }

    /// Returns the request's id when there is exactly one valid `X-Request-Id`.
    static func acceptedID(in headers: HTTPFields) -> String? {
        var found: String?
        for field in headers where field.name.equalsIgnoringASCIICase(headerName) {
            guard found == nil else { return nil }  // a repeated field is not trusted
            found = field.value
        }
        guard let found, isValid(found) else { return nil }
        return found
    }

    static func isValid(_ id: String) -> Bool {
        let bytes = id.utf8
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
        }
    }
}
