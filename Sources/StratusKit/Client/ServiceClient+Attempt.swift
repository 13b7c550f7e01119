import StratusDiscovery
import StratusHTTP
import StratusNet
import StratusResilience
import StratusTelemetry

extension ServiceClient {
    /// Sends one attempt to the selected instance, and reports its outcome to
    /// the balancer and the instance's breaker. It never throws, so the
    /// report always happens, exactly once.
    func attempt(_ request: ServiceRequest, on selection: Selection, timeout: Duration, number: Int) async -> AttemptOutcome {
        let instance = selection.pick.instance
        var headers = request.headers
        headers.set(DeadlineHeader.name, DeadlineHeader.format(timeout))
        // NOTE: the HTTP client speaks plain HTTP only, so an instance
        // registered with scheme https is called over http.
        let httpRequest = HTTPClientRequest(
            method: request.method, url: "http://\(instance.endpoint)\(request.path)",
            headers: headers, body: OutgoingBody(bytes: request.body)
        )
        let start = MonotonicClock.now()
        let outcome = await exchange(httpRequest, with: instance, timeout: timeout, number: number)
        let latency = Duration.nanoseconds(Int64(clamping: MonotonicClock.now() &- start))
        report(InstanceVerdict(outcome), for: selection, latency: latency)
        return outcome
    }

    private func exchange(_ request: HTTPClientRequest, with instance: ServiceInstance, timeout: Duration, number: Int) async -> AttemptOutcome {
        let endpoint = "instance \(instance.id) (\(instance.endpoint))"
        let response: HTTPClientResponse
        let body: [UInt8]
        do {
            response = try await tracing.execute(request) { request in
                try await http.execute(request, timeout: timeout)
            }
            body = try await response.body.collect(upTo: configuration.maxResponseBodySize)
        } catch let error as HTTPClientError {
            return AttemptOutcome.classify(error, service: service, endpoint: endpoint)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return .fatal(ServiceClientError(
                .requestFailed, service: service,
                "the response to \(request.method) from \(endpoint) of \(service) is larger than maxResponseBodySize (\(configuration.maxResponseBodySize) bytes); raise the limit",
                attempts: number
            ))
        } catch {
            return .noResponse(reason: "\(endpoint): \(error)", timedOut: false)
        }
        let result = ServiceResponse(status: response.status, headers: response.headers, body: body, instance: instance, attempts: number)
        guard configuration.retry.retryableStatuses.contains(response.status.code) else {
            return .response(result)
        }
        return .retryableResponse(result, reason: "\(endpoint) responded \(response.status)")
    }

    private func report(_ verdict: InstanceVerdict, for selection: Selection, latency: Duration) {
        switch verdict {
        case .healthy:
            balancer.report(.success(latency: latency), for: selection.pick)
            selection.breaker.recordSuccess()
        case .unhealthy(let reason):
            balancer.report(.failure(latency: latency), for: selection.pick)
            selection.breaker.recordFailure(reason: reason)
        case .notReached:
            balancer.report(.cancelled, for: selection.pick)
            // The attempt says nothing about the instance: release its
            // admission, which frees a half-open breaker's probe slot.
            selection.breaker.recordCancelled()
        }
    }
}
