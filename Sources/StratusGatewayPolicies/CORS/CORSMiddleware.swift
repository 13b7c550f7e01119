public import StratusHTTP
public import StratusLog

/// Responds to CORS preflight requests at the gateway and adds the CORS
/// fields to other responses; see `CORSPolicy`.
///
/// Put it before authentication: browsers send preflight requests without
/// credentials.
public struct CORSMiddleware: RouterMiddleware {
    public let policy: CORSPolicy
    private let logger: Logger

    public init(configuration: CORSConfiguration, logger: Logger) throws(PolicyConfigurationError) {
        policy = try CORSPolicy(configuration: configuration)
        self.logger = logger
    }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        if CORSPolicy.isPreflight(request) {
            switch policy.preflight(request) {
            case .allowed(let fields):
                return Response(status: .noContent, headers: fields)
            case .rejected(let detail):
                logger.debug("request rejected", metadata: [
                    PolicyLogKey.policy: "cors",
                    PolicyLogKey.reason: .string(PolicyFailureReason.corsRejected.rawValue),
                    PolicyLogKey.detail: .string(detail),
                ])
                return PolicyFailure(.corsRejected).response
            }
        }
        var response = try await next(request, context)
        policy.addResponseFields(origin: request.headers["Origin"], to: &response.headers)
        return response
    }
}
