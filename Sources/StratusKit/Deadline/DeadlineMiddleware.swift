public import StratusHTTP
import StratusDiscovery

/// Gives each request a deadline, and responds 504 Gateway Timeout when the
/// handler has not finished by then.
///
/// - The budget is the request's `Stratus-Timeout` value (see
///   `DeadlineHeader`) capped at `maxTimeout`, or `defaultTimeout` when the
///   request has none. A deadline already set on the task
///   (`Deadline.current`) is kept when it is earlier.
/// - A malformed `Stratus-Timeout` value, or more than one such field, gets
///   a 400 response with a JSON error naming the value and the format.
/// - A budget of zero gets a 504 response at once; the handler does not run.
/// - The rest of the chain runs with `Deadline.current` set, so a
///   `ServiceClient` called from the handler sends the remaining budget on.
/// - When the deadline passes first, the handler's task is cancelled and
///   the middleware responds 504. It responds once the handler has returned or
///   thrown, because the handler runs as a child task. A handler that ignores
///   cancellation therefore delays the 504 until it ends, and its response
///   is dropped.
///
/// Error bodies have the shape `{"error":{"code","message"}}`, with the
/// codes `invalid_argument` (400) and `deadline_exceeded` (504).
public struct DeadlineMiddleware: RouterMiddleware {
    /// The budget of a request without `Stratus-Timeout`; nil gives such
    /// requests no deadline. Default 30 s.
    public let defaultTimeout: Duration?
    /// The largest budget a caller can ask for. Default 60 s.
    public let maxTimeout: Duration

    public init(defaultTimeout: Duration? = .seconds(30), maxTimeout: Duration = .seconds(60)) {
        precondition(maxTimeout > .zero, "invalid maxTimeout \(maxTimeout): expected a positive duration")
        precondition(defaultTimeout.map { $0 > .zero } ?? true, "invalid defaultTimeout \(String(describing: defaultTimeout)): expected a positive duration or nil")
        self.defaultTimeout = defaultTimeout
        self.maxTimeout = maxTimeout
    }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let budget: Duration?
        switch Self.requestedBudget(in: request.headers) {
        case .invalid(let response):
            return response
        case .absent:
            budget = defaultTimeout
        case .requested(let requested):
            budget = min(requested, maxTimeout)
        }
        let ownDeadline = budget.map { Deadline.after($0) }
        guard let deadline = [ownDeadline, Deadline.current].compactMap({ $0 }).min() else {
            return try await next(request, context)
        }
        if deadline.hasPassed {
            return Self.deadlineExceeded("the request arrived with no time left in its deadline", request: request)
        }
        return try await withoutActuallyEscaping(next) { next in
            try await withDeadline(deadline) {
                try await Self.race(UncheckedNext(call: next), request: request, context: context, until: deadline)
            }
        }
    }

    private enum RequestedBudget {
        case absent
        case requested(Duration)
        case invalid(Response)
    }

    private static func requestedBudget(in headers: HTTPFields) -> RequestedBudget {
        let values = headers.values(for: DeadlineHeader.name)
        guard let value = values.first else { return .absent }
        guard values.count == 1 else {
            return .invalid(invalidHeader("repeated \(DeadlineHeader.name) header (\(values.count) fields); send one", value: values.joined(separator: ", ")))
        }
        guard let budget = DeadlineHeader.parse(value) else {
            return .invalid(invalidHeader("invalid \(DeadlineHeader.name) value \"\(value)\": expected \(DeadlineHeader.expectedFormat)", value: value))
        }
        return .requested(budget)
    }

    private static func invalidHeader(_ message: String, value: String) -> Response {
        let detail = APIErrorBody.Detail(
            code: "invalid_argument", message: message, field: DeadlineHeader.name, value: value, expected: DeadlineHeader.expectedFormat
        )
        return errorResponse(detail, status: .badRequest)
    }

    static func deadlineExceeded(_ reason: String, request: Request) -> Response {
        let message = "deadline exceeded for \(request.method) \(request.path): \(reason)"
        return errorResponse(APIErrorBody.Detail(code: "deadline_exceeded", message: message), status: .gatewayTimeout)
    }

    private static func errorResponse(_ detail: APIErrorBody.Detail, status: HTTPStatus) -> Response {
        // JSONEncoder fails only on non-finite numbers, and the body has
        // strings only. The fallback keeps the status all the same.
        (try? Response.json(APIErrorBody(error: detail), status: status)) ?? Response.text(detail.message, status: status)
    }
}
