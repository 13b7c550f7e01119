import Foundation
import IAMModel
public import StratusHTTP
import StratusLog

/// An error that carries its own response, such as a session-token failure,
/// whose body is `{"message":…}` rather than the standard error body.
public protocol RespondingError: Error {
    var response: Response { get }
}

/// The outer layer of both IAM HTTP servers: it adds the headers every
/// upstream response carries and turns thrown errors into IAM error
/// bodies.
///
/// - `IAMError`: its code's status and body; the detail is logged.
/// - `RespondingError`: its own response.
/// - `HTTPError` (from the kit, such as 413 for a large body): unchanged.
/// - Anything else: a `500` with code 1, logged as an error.
public struct IAMMiddleware: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as IAMError {
            let level: Logger.Level = error.code.status >= 500 ? .error : .info
            context.logger.log(level: level, "request failed", metadata: [
                "iam.code": .stringConvertible(error.code.code), "error": .string(error.detail),
            ])
            response = IAMResponses.error(error.code)
        } catch let error as any RespondingError {
            response = error.response
        } catch let error as HTTPError {
            throw error
        } catch {
            context.logger.error("request failed with an uncoded error", metadata: ["error": .string("\(error)")])
            response = IAMResponses.error(.unknownError)
        }
        Self.addStandardHeaders(to: &response, requestID: context.requestID)
        return response
    }

    /// Adds the headers of upstream's responses. Only `X-Request-Id` and
    /// the JSON `Content-Type` matter to clients, and the rest keep the
    /// responses alike.
    static func addStandardHeaders(to response: inout Response, requestID: String) {
        if !requestID.isEmpty { response.headers.set("X-Request-Id", requestID) }
        if !response.headers.contains("Content-Type") { response.headers.set("Content-Type", IAMResponses.contentType) }
        response.headers.set("Access-Control-Allow-Origin", "*")
        response.headers.set("X-Frame-Options", "DENY")
        response.headers.set("X-Content-Type-Options", "nosniff")
        response.headers.set("X-XSS-Protection", "1; mode=block")
        response.headers.set("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate, value")
        response.headers.set("Expires", "Thu, 01 Jan 1970 00:00:00 GMT")
        response.headers.set("Last-Modified", httpDate(Date()))
    }

    private static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
