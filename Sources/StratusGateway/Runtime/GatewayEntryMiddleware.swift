import StratusHTTP
import StratusNet

/// The outermost middleware of every route: it gives the request a
/// `GatewayRequestState`, with the consumer from `settings.consumerHeader`
/// when that names a configured consumer, and counts the response in the
/// route's metrics once the rest of the chain returns.
struct GatewayEntryMiddleware: RouterMiddleware {
    let metrics: RouteMetrics
    let consumerHeader: String
    let consumers: Set<String>
    /// Whether anything in the route's chain reads or sets the consumer.
    /// Without plugins, a consumer rate limit or `consumerHeader`, no
    /// request has one, so no state is made.
    let tracksConsumers: Bool

    func handle(_ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response) async throws -> Response {
        let start = MonotonicClock.now()
        guard tracksConsumers else {
            do {
                let response = try await next(request, context)
                metrics.record(consumer: nil, status: response.status.code, nanoseconds: MonotonicClock.now() &- start)
                return response
            } catch {
                metrics.record(consumer: nil, status: (error as? HTTPError)?.status.code ?? 500, nanoseconds: MonotonicClock.now() &- start)
                throw error
            }
        }
        var consumer: String?
        if !consumerHeader.isEmpty, let value = request.headers[consumerHeader], consumers.contains(value) {
            consumer = value
        }
        let state = GatewayRequestState(consumer: consumer)
        do {
            let response = try await GatewayRequestState.$current.withValue(state) {
                try await next(request, context)
            }
            record(state, status: response.status.code, since: start)
            return response
        } catch {
            record(state, status: (error as? HTTPError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func record(_ state: GatewayRequestState, status: Int, since start: UInt64) {
        let consumer = state.consumer.map { consumers.contains($0) ? $0 : "unknown" }
        metrics.record(consumer: consumer, status: status, nanoseconds: MonotonicClock.now() &- start)
    }
}
