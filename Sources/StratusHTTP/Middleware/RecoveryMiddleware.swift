import StratusLog

/// Turns errors thrown by the rest of the chain into responses.
///
/// - A thrown `HTTPError` becomes its `response`: its status, message and headers.
/// - Any other error becomes a 500 Internal Server Error whose body names
///   only the request id, so no internal detail reaches the client. The
///   error itself is logged at error level through `context.logger`, with
///   the metadata `request.id`, `http.method`, `http.target` and `error`.
///
/// Add it after `RequestIDMiddleware`, so that it runs inside it: then the
/// 500 body carries the request id and the response gets `X-Request-Id`.
public struct RecoveryMiddleware: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return error.response
        } catch {
            logFailure(error, request: request, context: context)
            return internalServerError(requestID: context.requestID)
        }
    }

    private func logFailure(_ error: any Error, request: Request, context: RequestContext) {
        context.logger.error(
            "request failed",
            metadata: [
                LogMetadataKey.requestID: .string(context.requestID),
                LogMetadataKey.httpMethod: .string(request.method.rawValue),
                LogMetadataKey.httpTarget: .string(request.head.target),
                LogMetadataKey.error: .string(String(describing: error)),
            ]
        )
    }

    private func internalServerError(requestID: String) -> Response {
        guard !requestID.isEmpty else {
            return Response.text("Internal Server Error\n", status: .internalServerError)
        }
        return Response.text("Internal Server Error (request id \(requestID))\n", status: .internalServerError)
    }
}
