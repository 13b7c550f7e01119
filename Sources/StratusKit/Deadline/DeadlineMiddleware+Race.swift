import StratusHTTP
import StratusLog

/// The `next` closure of a middleware, which `RouterMiddleware` does not
/// mark `@Sendable`.
///
/// Safe to call from a child task: the router builds `next` from
/// `@Sendable` handlers and middleware only, the one child task that calls
/// it ends before `handle` returns, and it is called at most once.
struct UncheckedNext: @unchecked Sendable {
    let call: (Request, RequestContext) async throws -> Response
}

extension DeadlineMiddleware {
    private enum RaceResult: Sendable {
        case response(Response)
        case deadlinePassed
        case timerCancelled
    }

    /// Runs the handler and a timer as child tasks, and returns the
    /// handler's response or, when the timer fires first, cancels the
    /// handler and returns 504. The task group waits for the cancelled
    /// handler to end before it returns.
    static func race(_ handler: UncheckedNext, request: Request, context: RequestContext, until deadline: Deadline) async throws -> Response {
        let budget = deadline.remaining
        return try await withThrowingTaskGroup(of: RaceResult.self) { group in
            group.addTask {
                .response(try await handler.call(request, context))
            }
            group.addTask {
                do {
                    try await Task.sleep(for: budget)
                    return .deadlinePassed
                } catch {
                    return .timerCancelled
                }
            }
            while let result = try await group.next() {
                switch result {
                case .response(let response):
                    group.cancelAll()
                    return response
                case .deadlinePassed:
                    group.cancelAll()
                    context.logger.debug("deadline passed; handler cancelled", metadata: ["deadline.budget": .string("\(budget)")])
                    return deadlineExceeded("the handler did not finish within \(budget) and was cancelled", request: request)
                case .timerCancelled:
                    continue
                }
            }
            // Unreachable: the handler child either returns a response or
            // throws, and a throw leaves the loop above.
            throw CancellationError()
        }
    }
}
