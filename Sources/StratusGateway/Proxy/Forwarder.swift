import StratusDiscovery
import StratusHTTP
import StratusNet
import StratusResilience

/// Sends one request to an upstream: picks an instance, sends with a
/// per-try timeout, and retries under the total timeout and retry budget.
///
/// Retries go to another instance when there is one, and only when the
/// request cannot have had an effect or may be repeated:
/// - the connection could not be opened (refused, timed out, pool full),
///   for any method, because nothing was sent;
/// - the connection closed before a response, or a status in
///   `retries.onStatus` (502 and 503 by default) arrived, for idempotent
///   methods (RFC 9110, section 9.2.2) whose body was not sent yet.
struct Forwarder: Sendable {
    let upstream: Upstream
    let metrics: UpstreamMetrics

    /// The request as it goes upstream, without the instance's address.
    struct Outbound: Sendable {
        var method: HTTPMethod
        /// The path and query.
        var target: String
        var headers: HTTPFields
        var body: RequestBodyRelay?
        var bodyLength: Int?
        /// Instances with this version label (the canary) or without it;
        /// nil ignores versions.
        var version: (label: String, canary: Bool)?
    }

    enum Result: Sendable {
        case response(HTTPClientResponse, instance: ServiceInstance)
        case noInstance
        case circuitOpen(retryAfter: Duration)
        /// Every attempt failed before a response: 502, or 504 for a timeout.
        case failed(status: HTTPStatus, reason: String)
        case bodyTooLarge
        /// Reading the client's body failed, so the response has the error's status.
        case clientBodyFailed(HTTPError)
    }

    func send(_ request: Outbound, state: GatewayRequestState?) async -> Result {
        if let breaker = upstream.breaker, case .rejected(let retryAfter) = breaker.admit() {
            return .circuitOpen(retryAfter: retryAfter)
        }
        let result = await attempts(request, state: state)
        recordBreaker(result)
        return result
    }

    private func attempts(_ request: Outbound, state: GatewayRequestState?) async -> Result {
        let configuration = upstream.configuration
        let deadline = MonotonicClock.now() &+ configuration.totalTimeout.nanoseconds
        upstream.retryBudget.recordRequest()
        var failedIDs: Set<String> = []
        var attempt = 0
        var lastFailure: Result = .noInstance
        while true {
            attempt += 1
            guard let pick = pick(request, avoiding: failedIDs) else {
                return attempt == 1 ? .noInstance : lastFailure
            }
            let balancer = pick.balancer
            let instance = pick.choice.instance
            state?.recordAttempt(instance: instance.id)
            let remaining = Int64(bitPattern: deadline &- MonotonicClock.now())
            let timeout = min(configuration.perTryTimeout, .nanoseconds(max(remaining, 1_000_000)))
            let started = MonotonicClock.now()
            let step = await exchange(request, with: instance, timeout: timeout)
            let latency = Duration.nanoseconds(Int64(clamping: MonotonicClock.now() &- started))
            switch step {
            case .response(let response):
                let failed = response.status.code >= 500
                report(failed ? .failure(latency: latency) : .success(latency: latency), pick: pick.choice, balancer: balancer)
                metrics.recordAttempt(status: response.status.code)
                guard configuration.retries.onStatus.contains(response.status.code), mayRepeat(request),
                      attempt < configuration.retries.attempts, await backOff(attempt: attempt, deadline: deadline)
                else {
                    return .response(response, instance: instance)
                }
                Self.discard(response)
                failedIDs.insert(instance.id)
                lastFailure = .response(response, instance: instance)
            case .failure(let error, let notSent):
                report(.failure(latency: latency), pick: pick.choice, balancer: balancer)
                metrics.recordAttempt(error: error.code.rawValue)
                if request.body?.exceededLimit == true {
                    return .bodyTooLarge
                }
                if let failure = request.body?.clientFailure {
                    return .clientBodyFailed(failure)
                }
                let status: HTTPStatus = error.code == .timedOut ? .gatewayTimeout : .badGateway
                lastFailure = .failed(status: status, reason: "\(instance.endpoint): \(error)")
                let retryable = notSent ? request.body?.started != true : mayRepeat(request) && error.code == .connectionClosed
                guard retryable, attempt < configuration.retries.attempts, await backOff(attempt: attempt, deadline: deadline) else {
                    return lastFailure
                }
                failedIDs.insert(instance.id)
            }
        }
    }

    private enum Step {
        case response(HTTPClientResponse)
        /// `notSent`: the connection was never opened.
        case failure(HTTPClientError, notSent: Bool)
    }

    private func exchange(_ request: Outbound, with instance: ServiceInstance, timeout: Duration) async -> Step {
        let body = request.body?.outgoingBody(length: request.bodyLength) ?? .empty
        let outgoing = HTTPClientRequest(method: request.method, url: request.target, headers: request.headers, body: body)
        do {
            return .response(try await upstream.http.execute(outgoing, host: instance.address, port: instance.port, timeout: timeout))
        } catch let error as HTTPClientError {
            let notSent = [.connectFailed, .connectTimeout, .poolExhausted].contains(error.code)
            return .failure(error, notSent: notSent)
        } catch {
            return .failure(HTTPClientError(.connectionClosed, "\(error)"), notSent: false)
        }
    }

    /// Returns whether the request may be sent again after it may have arrived.
    private func mayRepeat(_ request: Outbound) -> Bool {
        request.method.isIdempotent && request.body?.started != true
    }

    /// Takes a retry from the budget and waits the backoff; returns false
    /// when the budget is spent or the backoff would pass the deadline.
    private func backOff(attempt: Int, deadline: UInt64) async -> Bool {
        let delay = upstream.backoff.delay(forRetry: attempt)
        guard MonotonicClock.now() &+ delay.nanoseconds < deadline else { return false }
        guard upstream.retryBudget.acquireRetry().isAdmitted else {
            metrics.recordRetry(admitted: false)
            return false
        }
        metrics.recordRetry(admitted: true)
        if delay > .zero {
            try? await Task.sleep(for: delay)
        }
        return true
    }

    private struct Pick {
        var choice: LoadBalancerPick
        var balancer: any LoadBalancer
    }

    /// Picks an instance, avoiding those that failed in this request while
    /// another is available.
    private func pick(_ request: Outbound, avoiding failed: Set<String>) -> Pick? {
        var snapshot = upstream.available()
        var balancer = upstream.stableBalancer
        if let version = request.version {
            let split = upstream.split(snapshot, canaryVersion: version.label)
            let preferred = version.canary ? split.canary : split.stable
            let other = version.canary ? split.stable : split.canary
            if preferred.upInstances.isEmpty {
                snapshot = other
                balancer = version.canary ? upstream.stableBalancer : upstream.canaryBalancer
            } else {
                snapshot = preferred
                balancer = version.canary ? upstream.canaryBalancer : upstream.stableBalancer
            }
        }
        if !failed.isEmpty, snapshot.upInstances.contains(where: { !failed.contains($0.id) }) {
            snapshot = snapshot.excluding(ids: failed)
        }
        return balancer.pick(from: snapshot).map { Pick(choice: $0, balancer: balancer) }
    }

    private func report(_ outcome: PickOutcome, pick: LoadBalancerPick, balancer: any LoadBalancer) {
        balancer.report(outcome, for: pick)
        upstream.outliers.record(outcome, for: pick.instance.id)
    }

    private func recordBreaker(_ result: Result) {
        guard let breaker = upstream.breaker else { return }
        switch result {
        case .response(let response, _):
            if response.status.code >= 500 {
                breaker.recordFailure(reason: "status \(response.status.code)")
            } else {
                breaker.recordSuccess()
            }
        case .failed(_, let reason):
            breaker.recordFailure(reason: reason)
        case .noInstance, .bodyTooLarge, .clientBodyFailed:
            breaker.recordCancelled()
        case .circuitOpen:
            break
        }
    }

    /// Reads and drops a response that will not be used, so that its
    /// connection returns to the pool.
    static func discard(_ response: HTTPClientResponse) {
        Task {
            _ = try? await response.body.collect(upTo: 1 << 20)
        }
    }
}
