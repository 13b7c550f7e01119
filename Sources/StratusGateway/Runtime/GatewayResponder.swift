import StratusHTTP
import Synchronization

/// The gateway's HTTP responder: it normalizes the path, finds the route
/// in the current state and runs that route's chain.
///
/// Thread safety: the current state is swapped under a `Mutex`; each
/// request reads it once and keeps it to the end.
final class GatewayResponder: HTTPResponder {
    private let state: Mutex<GatewayState>

    init(state: GatewayState) {
        self.state = Mutex(state)
    }

    var current: GatewayState { state.withLock { $0 } }

    /// Replaces the state for requests that start from now on.
    func swap(to newState: GatewayState) -> GatewayState {
        state.withLock { current in
            defer { current = newState }
            return current
        }
    }

    func respond(to request: Request, context: RequestContext) async throws -> Response {
        let state = current
        var request = request
        var context = context
        let path: String
        do {
            path = try state.normalizer.normalize(Self.originFormPath(&request))
        } catch {
            context.route = nil
            return try await state.unmatched(request, context.rejecting(.badRequest, reason: "invalid_path", message: "invalid request path: \(error)"))
        }
        if let query = request.query {
            request.head.target = "\(path)?\(query)"
        } else {
            request.head.target = path
        }
        let host = HostPattern.normalizedHost(Substring(request.headers["Host"] ?? ""))
        switch state.table.match(host: host, path: path, method: request.method, request: request) {
        case .found(let index, let captures):
            context.route = state.routes[index].name
            for (name, value) in captures {
                context.parameters.set(name, value)
            }
            return try await state.handlers[index](request, context)
        case .methodNotAllowed(let allowed):
            let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            return try await state.unmatched(request, context.rejecting(.methodNotAllowed, reason: "method_not_allowed", message: "no route for \(request.method) \(path); allowed: \(list)"))
        case .notFound:
            return try await state.unmatched(request, context.rejecting(.notFound, reason: "no_route", message: "no route matches \(request.method) \(path)"))
        }
    }

    /// Returns the path of an origin-form target. An absolute-form target
    /// (`http://host/path`, RFC 9112, section 3.2.2) has its authority
    /// moved to `Host` and its path kept.
    static func originFormPath(_ request: inout Request) -> Substring {
        let target = request.head.target
        guard target.hasPrefix("http://") else { return request.path }
        let rest = target.dropFirst("http://".count)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        request.headers.set("Host", String(rest[..<end]))
        var remainder = String(rest[end...])
        if !remainder.hasPrefix("/") { remainder = "/" + remainder }
        request.head.target = remainder
        return request.path
    }
}

/// The rejection that the unmatched chain responds with, carried in the
/// context's route parameters, which no route uses for an unmatched request.
extension RequestContext {
    func rejecting(_ status: HTTPStatus, reason: String, message: String) -> RequestContext {
        var context = self
        context.parameters.set("stratus.status", Substring(String(status.code)))
        context.parameters.set("stratus.reason", Substring(reason))
        context.parameters.set("stratus.message", Substring(message))
        return context
    }

    /// The response for a request that matched no route.
    var rejection: Response {
        let status = HTTPStatus(code: Int(parameters["stratus.status"] ?? "") ?? 404)
        return GatewayErrorResponse.make(status, reason: parameters["stratus.reason"] ?? "no_route", message: parameters["stratus.message"] ?? "no route matches")
    }
}
