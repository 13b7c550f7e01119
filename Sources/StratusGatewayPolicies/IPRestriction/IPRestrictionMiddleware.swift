public import StratusHTTP
public import StratusLog

/// Rejects requests whose client address `IPRestriction` does not permit,
/// with 403 `address_not_allowed`, and logs them at debug level.
public struct IPRestrictionMiddleware: RouterMiddleware {
    public let restriction: IPRestriction
    public let clientAddresses: ClientAddressResolver
    private let logger: Logger

    public init(configuration: IPRestrictionConfiguration, clientAddresses: ClientAddressResolver = ClientAddressResolver(), logger: Logger) throws(PolicyConfigurationError) {
        restriction = try IPRestriction(configuration: configuration)
        self.clientAddresses = clientAddresses
        self.logger = logger
    }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let address = clientAddresses.clientAddress(of: request, context: context)
        guard restriction.permits(address) else {
            logger.debug("request rejected", metadata: [
                PolicyLogKey.policy: "ipRestriction",
                PolicyLogKey.reason: .string(PolicyFailureReason.addressNotAllowed.rawValue),
                PolicyLogKey.clientAddress: .string(address?.description ?? "unknown"),
            ])
            return PolicyFailure(.addressNotAllowed).response
        }
        return try await next(request, context)
    }
}
