public import StratusHTTP
public import StratusLog
import StratusGateway
import StratusTelemetry

/// Authenticates requests with one or more methods and makes the consumer
/// available to what runs after it.
///
/// For each request it first removes the consumer fields the client sent
/// (`ConsumerHeaders`). Then the authenticators run in order, and the first
/// that finds its credential decides:
/// - valid: the request continues with `GatewayConsumer.current` set and
///   the consumer fields set on the forwarded request. Inside the
///   gateway, `GatewayRequestState.current` records the consumer too, so
///   the gateway sends `X-Stratus-Consumer` and labels its metrics with it;
/// - invalid: 401 with the stable reason, even when an anonymous consumer
///   is configured, so that a client with a wrong key learns it;
/// - when no method finds a credential: the anonymous consumer when the
///   route has one, else 401 `missing_credentials` with one
///   `WWW-Authenticate` challenge per method.
///
/// A request that an earlier middleware already authenticated (a consumer
/// that is not anonymous in `GatewayConsumer.current`) passes through.
///
/// Failures are logged at debug level with the reason and its detail, never
/// the credential.
public struct AuthenticationMiddleware: RouterMiddleware {
    public let authenticators: [any Authenticator]
    public let anonymous: GatewayConsumer?
    private let logger: Logger

    /// - Parameters:
    ///   - anonymous: the consumer of requests without credentials; nil to
    ///     reject them.
    ///   - logger: receives failures at debug level.
    public init(authenticators: [any Authenticator], anonymous: GatewayConsumer? = nil, logger: Logger) {
        precondition(!authenticators.isEmpty, "an authentication middleware needs at least one authenticator")
        self.authenticators = authenticators
        self.anonymous = anonymous.map {
            GatewayConsumer(username: $0.username, customID: $0.customID, rateLimit: $0.rateLimit, isAnonymous: true)
                .authenticated(by: .anonymous)
        }
        self.logger = logger
    }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        if let current = GatewayConsumer.current, !current.isAnonymous {
            return try await next(request, context)
        }
        var request = request
        ConsumerHeaders.remove(from: &request.headers)
        for authenticator in authenticators {
            switch await authenticator.authenticate(request, context: context) {
            case .noCredential:
                continue
            case .authenticated(let consumer, let forwarded):
                return try await forward(forwarded, as: consumer, context: context, next: next)
            case .rejected(let reason, let detail):
                log(reason, detail: detail, method: authenticator.method, context: context)
                return PolicyFailure(reason, challenges: [authenticator.challenge(for: reason)]).response
            }
        }
        if let anonymous {
            return try await forward(request, as: anonymous, context: context, next: next)
        }
        log(.missingCredentials, detail: "no credential", method: nil, context: context)
        let challenges = authenticators.map { $0.challenge(for: .missingCredentials) }
        return PolicyFailure(.missingCredentials, challenges: challenges).response
    }

    private func forward(
        _ request: Request,
        as consumer: GatewayConsumer,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        var request = request
        // `handle` removed the client's consumer fields already.
        ConsumerHeaders.append(consumer, to: &request.headers)
        GatewayRequestState.current?.setConsumer(consumer.username)
        return try await GatewayConsumer.$current.withValue(consumer) {
            try await next(request, context)
        }
    }

    private func log(_ reason: PolicyFailureReason, detail: String, method: Authentication.Method?, context: RequestContext) {
        var metadata: Logger.Metadata = [
            PolicyLogKey.policy: .string(method?.rawValue ?? "authentication"),
            PolicyLogKey.reason: .string(reason.rawValue),
            PolicyLogKey.detail: .string(detail),
        ]
        if let route = context.route {
            metadata[PolicyLogKey.route] = .string(route)
        }
        if let address = context.remoteAddress {
            metadata[PolicyLogKey.clientAddress] = .string(address)
        }
        logger.debug("request rejected", metadata: Redactor.standard.redact(metadata))
    }
}
