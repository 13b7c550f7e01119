public import StratusHTTP
public import StratusLog
public import StratusResilience
import Synchronization

/// Resolves a service name to the base URL of one of its instances, such
/// as `http://10.0.0.7:9100`. The gateway injects it from its discovery cache.
public typealias ServiceResolver = @Sendable (String) async throws -> String

/// Asks an authorization service about each request; see
/// `ExternalAuthorizer` for the exchange and `ExtAuthzConfiguration` for
/// timeouts, failing open and caching.
///
/// The consumer in `GatewayConsumer.current` is sent along, so put this
/// middleware after authentication. A failed check is logged at warning
/// level, at most once a second with a count of the ones held back. The
/// forwarded header values are never logged.
public final class ExtAuthzMiddleware: RouterMiddleware {
    public let authorizer: ExternalAuthorizer
    private let client: HTTPClient
    private let resolveService: ServiceResolver?
    private let clientAddresses: ClientAddressResolver
    private let cache: ExpiringCache<SHA256Digest, ExternalAuthorizer.Decision>
    private let clock: ResilienceClock
    private let logger: Logger
    private let failureLog: LogThrottle
    private let counts = Mutex(ExtAuthzCounts())

    /// The largest response body read from the service, in bytes.
    static let maxResponseSize = 64 * 1024

    /// - Parameter resolveService: required when the configuration names a
    ///   `service`.
    public init(
        configuration: ExtAuthzConfiguration,
        clientAddresses: ClientAddressResolver = ClientAddressResolver(),
        resolveService: ServiceResolver? = nil,
        clock: ResilienceClock = .system,
        logger: Logger
    ) throws(PolicyConfigurationError) {
        authorizer = try ExternalAuthorizer(configuration: configuration)
        if let service = configuration.service, resolveService == nil {
            throw PolicyConfigurationError(field: "service", value: service, expected: "a url, because this gateway has no service discovery")
        }
        var clientConfiguration = HTTPClientConfiguration()
        clientConfiguration.connectTimeout = configuration.timeout
        clientConfiguration.requestTimeout = configuration.timeout
        clientConfiguration.readTimeout = configuration.timeout
        client = HTTPClient(configuration: clientConfiguration)
        self.resolveService = resolveService
        self.clientAddresses = clientAddresses
        cache = ExpiringCache(ttl: configuration.cacheTTL, capacity: configuration.cacheSize)
        self.clock = clock
        self.logger = logger
        failureLog = LogThrottle(clock: clock)
    }

    deinit {
        client.shutdown()
    }

    /// The decisions so far.
    public var statistics: ExtAuthzCounts { counts.withLock { $0 } }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        var request = authorizer.removingUpstreamHeaders(from: request)
        let check = authorizer.makeCheck(request, clientAddress: clientAddresses.clientAddress(of: request, context: context), consumer: GatewayConsumer.current)
        let decision: ExternalAuthorizer.Decision
        if let cached = cache.value(for: check.cacheKey, now: clock.now()) {
            counts.withLock { $0.cacheHits += 1 }
            decision = cached
        } else {
            switch await ask(check) {
            case .success(let answer):
                cache.store(answer, for: check.cacheKey, now: clock.now())
                decision = answer
            case .failure(let error):
                return try await failed(error, request: request, context: context, next: next)
            }
        }
        switch decision {
        case .allow(let headers):
            counts.withLock { $0.allowed += 1 }
            for field in headers {
                request.headers.append(field)
            }
            return try await next(request, context)
        case .deny(let status, let challenge):
            counts.withLock { $0.denied += 1 }
            return authorizer.failure(for: (status, challenge)).response
        }
    }

    private func failed(
        _ error: CheckError,
        request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let configuration = authorizer.configuration
        counts.withLock { $0.failed += 1 }
        if let suppressed = failureLog.admit() {
            logger.warning("external authorization check failed", metadata: [
                PolicyLogKey.policy: "extAuthz",
                PolicyLogKey.error: .string(error.description),
                "gateway.fail_open": .stringConvertible(configuration.failOpen),
                "log.suppressed": .stringConvertible(suppressed),
            ])
        }
        if configuration.failOpen {
            return try await next(request, context)
        }
        return PolicyFailure(.authorizationUnavailable, status: HTTPStatus(code: configuration.statusOnError)).response
    }

    /// Posts `check` to the service within the configured timeout.
    private func ask(_ check: ExternalAuthorizer.Check) async -> Result<ExternalAuthorizer.Decision, CheckError> {
        let configuration = authorizer.configuration
        var url = ""
        do {
            url = try await checkURL()
            let client = self.client
            let request = HTTPClientRequest(
                method: .post, url: url,
                headers: ["Content-Type": "application/json"],
                body: OutgoingBody(bytes: check.body)
            )
            let (response, _) = try await Deadline.run(configuration.timeout) {
                try await client.execute(request, timeout: configuration.timeout, collectingUpTo: Self.maxResponseSize)
            }
            guard let decision = authorizer.decision(status: response.status.code, headers: response.headers) else {
                return .failure(CheckError(description: "unexpected status \(response.status.code) from \(LogText.redactedURL(url))"))
            }
            return .success(decision)
        } catch let error as CheckError {
            return .failure(error)
        } catch {
            return .failure(CheckError(description: LogText.redacting(url, in: "\(error)")))
        }
    }

    private func checkURL() async throws -> String {
        let configuration = authorizer.configuration
        if let url = configuration.url {
            return url
        }
        guard let service = configuration.service, let resolveService else {
            throw CheckError(description: "no URL and no service resolver")
        }
        do {
            return try await resolveService(service) + configuration.path
        } catch {
            throw CheckError(description: "cannot resolve service \(service): \(error)")
        }
    }

    private struct CheckError: Error, CustomStringConvertible {
        let description: String
    }
}

/// The decisions of an `ExtAuthzMiddleware`.
public struct ExtAuthzCounts: Sendable, Hashable {
    public var allowed = 0
    public var denied = 0
    /// Checks that failed. Their requests were let through or rejected as
    /// `failOpen` sets.
    public var failed = 0
    /// Decisions taken from the cache, also counted as allowed or denied.
    public var cacheHits = 0
}
