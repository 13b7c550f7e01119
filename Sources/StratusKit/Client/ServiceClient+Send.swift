import StratusDiscovery
import StratusHTTP
import StratusLog
import StratusNet
import StratusResilience
import StratusTelemetry

extension ServiceClient {
    /// The state of one call across its attempts.
    struct CallState {
        let request: ServiceRequest
        let deadline: Deadline
        /// The time the call had when it started, for messages.
        let budget: Duration
        var attempts = 0
        /// Instances that failed in this call, which a retry avoids.
        var failedInstanceIDs: Set<String> = []
        var lastFailure: String?

        /// `GET /v1/users/alice on iam-apiserver`, for messages.
        func callName(_ service: String) -> String {
            "\(request.method) \(request.path) on \(service)"
        }
    }

    /// Sends `request` to an instance of the service, retrying as the
    /// configuration allows, and returns the response with its whole body.
    ///
    /// A response of any status is returned, including a retryable status
    /// (503) when retries ran out; the JSON helpers turn non-2xx statuses
    /// into errors.
    ///
    /// - Throws: `ServiceClientError`: `noInstances`, `circuitOpen`,
    ///   `deadlineExceeded`, `requestFailed` (no response from any attempt),
    ///   `invalidRequest`, `cancelled` or `shutDown`.
    public func send(_ request: ServiceRequest) async throws(ServiceClientError) -> ServiceResponse {
        let start = MonotonicClock.now()
        let result = await traced(request) {
            do throws(ServiceClientError) {
                return .success(try await call(request, start: start))
            } catch {
                return .failure(error)
            }
        }
        let status = try? result.get().status.code
        metrics.recordCall(method: request.method, status: status, nanoseconds: MonotonicClock.now() &- start)
        return try result.get()
    }

    /// Runs `body` in an INTERNAL span named after the call (`GET
    /// iam-apiserver`), the parent of the attempts' CLIENT spans, so that
    /// the attempts of one call share a trace.
    private func traced(
        _ request: ServiceRequest,
        _ body: () async -> Result<ServiceResponse, ServiceClientError>
    ) async -> Result<ServiceResponse, ServiceClientError> {
        let tracer = configuration.tracer ?? InstrumentationSystem.tracer
        let span = tracer.startSpan("\(request.method) \(service)", context: ServiceContext.current ?? .topLevel, ofKind: .internal)
        defer { span.end() }
        if span.isRecording {
            span.attributes["http.request.method"] = request.method.rawValue
            span.attributes["stratus.service"] = service
        }
        let result = await withServiceContext(span.context) {
            await body()
        }
        if case .failure(let error) = result {
            span.recordError(error)
            span.setStatus(.error(error.code.rawValue))
        }
        return result
    }

    private func call(_ request: ServiceRequest, start: UInt64) async throws(ServiceClientError) -> ServiceResponse {
        guard !hasShutDown else {
            throw ServiceClientError(.shutDown, service: service, "the client of \(service) was shut down; \(request.method) \(request.path) was not sent")
        }
        guard request.path.hasPrefix("/") else {
            throw ServiceClientError(.invalidRequest, service: service, "invalid path \"\(request.path)\" for \(request.method) on \(service): expected a path starting with \"/\", such as /v1/users/alice")
        }
        let ownDeadline = Deadline.after(configuration.totalTimeout, from: start)
        let deadline = Deadline.current.map { min($0, ownDeadline) } ?? ownDeadline
        var state = CallState(request: request, deadline: deadline, budget: deadline.remaining(at: start))
        retryBudget.recordRequest()
        while true {
            try checkTimeLeft(state)
            let snapshot = await source.snapshot()
            breakers.prune(to: snapshot)
            let selection = try select(from: snapshot, hashKey: request.hashKey, state: state)
            state.attempts += 1
            let timeout = min(configuration.perTryTimeout, deadline.remaining)
            let outcome = await attempt(request, on: selection, timeout: timeout, number: state.attempts)
            if let response = try await nextStep(after: outcome, instanceID: selection.pick.instance.id, state: &state) {
                return response
            }
        }
    }

    /// Returns the response that ends the call, throws the error that ends
    /// it, or returns nil after the backoff before the next attempt.
    private func nextStep(after outcome: AttemptOutcome, instanceID: String, state: inout CallState) async throws(ServiceClientError) -> ServiceResponse? {
        switch outcome {
        case .response(let response):
            return response
        case .fatal(let error):
            throw error
        case .retryableResponse(let response, let reason):
            guard state.request.allowsRepeat else { return response }
            state.lastFailure = reason
            state.failedInstanceIDs.insert(instanceID)
            guard case .retry(let delay) = retryDecision(state) else { return response }
            try await wait(delay, before: state)
        case .notSent(let reason):
            state.lastFailure = reason
            state.failedInstanceIDs.insert(instanceID)
            try await retryOrThrow(state)
        case .noResponse(let reason, let timedOut):
            state.lastFailure = reason
            state.failedInstanceIDs.insert(instanceID)
            if timedOut && state.deadline.hasPassed {
                throw deadlineExceeded(state)
            }
            guard state.request.allowsRepeat else {
                throw ServiceClientError(
                    .requestFailed, service: service,
                    "\(state.callName(service)) failed and was not retried, because \(state.request.method) is not idempotent (set ServiceRequest.isIdempotent or send an Idempotency-Key header to allow retries): \(reason)",
                    attempts: state.attempts
                )
            }
            try await retryOrThrow(state)
        }
        return nil
    }

    private func retryOrThrow(_ state: CallState) async throws(ServiceClientError) {
        switch retryDecision(state) {
        case .retry(let delay):
            try await wait(delay, before: state)
        case .stop(let reason):
            throw ServiceClientError(.requestFailed, service: service, "\(reason); last error: \(state.lastFailure ?? "none")", attempts: state.attempts)
        case .deadlinePassed:
            throw deadlineExceeded(state)
        }
    }

    enum RetryDecision {
        case retry(after: Duration)
        case stop(reason: String)
        case deadlinePassed
    }

    /// Decides whether a failed attempt may be retried: attempts left, a
    /// backoff that fits in the deadline, then a token from the budget (taken
    /// last, so that a retry that cannot run takes none).
    private func retryDecision(_ state: CallState) -> RetryDecision {
        let policy = configuration.retry
        guard state.attempts < policy.maxAttempts else {
            return .stop(reason: "all \(state.attempts) attempts of \(state.callName(service)) failed")
        }
        let delay = policy.backoff.delay(forRetry: state.attempts)
        guard delay < state.deadline.remaining else {
            return .deadlinePassed
        }
        guard retryBudget.acquireRetry().isAdmitted else {
            metrics.budgetExhausted.increment()
            return .stop(reason: "\(state.callName(service)) failed after \(state.attempts) attempt(s) and was not retried, because the retry budget is exhausted (too many recent calls to \(service) were retried)")
        }
        return .retry(after: delay)
    }

    private func wait(_ delay: Duration, before state: CallState) async throws(ServiceClientError) {
        metrics.retries.increment()
        logger.debug("retrying", metadata: [
            "retry.attempt": .stringConvertible(state.attempts + 1),
            "retry.delay": .string("\(delay)"),
            "error": .string(state.lastFailure ?? ""),
        ])
        do {
            try await Task.sleep(for: delay)
        } catch {
            throw cancelled(state)
        }
    }

    private func checkTimeLeft(_ state: CallState) throws(ServiceClientError) {
        if Task.isCancelled {
            throw cancelled(state)
        }
        // Less than a millisecond cannot be sent in Stratus-Timeout.
        if state.deadline.remaining < .milliseconds(1) {
            throw deadlineExceeded(state)
        }
    }

    private func deadlineExceeded(_ state: CallState) -> ServiceClientError {
        let last = state.lastFailure.map { "; last error: \($0)" } ?? ""
        return ServiceClientError(
            .deadlineExceeded, service: service,
            "\(state.callName(service)) did not finish within its deadline of \(state.budget) (\(state.attempts) attempt(s))\(last)",
            attempts: state.attempts
        )
    }

    private func cancelled(_ state: CallState) -> ServiceClientError {
        ServiceClientError(.cancelled, service: service, "\(state.callName(service)) was cancelled after \(state.attempts) attempt(s)", attempts: state.attempts)
    }
}
