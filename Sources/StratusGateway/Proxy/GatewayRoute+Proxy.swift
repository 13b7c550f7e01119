import StratusDiscovery
import StratusHTTP
import StratusResilience

extension GatewayRoute {
    /// Sends the request upstream and returns the upstream's response with
    /// its body streaming, or the fallback when the upstream is unavailable.
    /// `request.path` is already normalized.
    func proxy(_ request: Request, context: RequestContext) async -> Response {
        let state = GatewayRequestState.current
        let host = request.headers["Host"]
        var headers = request.headers
        let upgrade = allowsUpgrade(request)
        HopByHop.remove(from: &headers)
        headers.remove("X-Stratus-Consumer")
        if let consumer = state?.consumer {
            headers.set("X-Stratus-Consumer", consumer)
        }
        forwarding.apply(to: &headers, peer: ForwardingHeaders.host(ofPeer: context.remoteAddress ?? "0.0.0.0:0"), host: host)
        if !configuration.preserveHost {
            headers.remove("Host")
        }
        requestHeaders.apply(to: &headers)

        let path = rewrite.apply(to: String(request.path)) { context.parameters[$0] }
        let target = request.query.map { "\(path)?\($0)" } ?? path
        if let upgrade {
            headers.set("Connection", "Upgrade")
            headers.set("Upgrade", upgrade)
            return await proxyUpgrade(request, target: target, headers: headers)
        }

        let framing = Self.bodyFraming(request.headers)
        if case .length(let length) = framing, Int64(length) > bodyLimit {
            return GatewayErrorResponse.make(.contentTooLarge, reason: "body_too_large", message: "the request body of \(length) bytes is larger than the limit of \(bodyLimit) bytes")
        }
        var outbound = Forwarder.Outbound(method: request.method, target: target, headers: headers)
        if framing != .none {
            outbound.body = RequestBodyRelay(body: request.body, limit: bodyLimit)
            if case .length(let length) = framing { outbound.bodyLength = length }
        }
        outbound.version = canaryChoice(request)

        let result = await forwarder.send(outbound, state: state)
        return await respond(with: result, to: request, target: target)
    }

    private enum Framing: Equatable {
        case none
        case length(Int)
        case chunked
    }

    /// Returns the body framing of the client's request, which the parser
    /// already validated (one consistent `Content-Length`, or chunked).
    private static func bodyFraming(_ headers: HTTPFields) -> Framing {
        if headers.contains("Transfer-Encoding") { return .chunked }
        guard let value = headers["Content-Length"], let length = Int(value.split(separator: ",").first.map { $0.trimmingASCIISpacesAndTabs() } ?? "") else {
            return .none
        }
        return length > 0 ? .length(length) : .none
    }

    /// Returns the `Upgrade` value when the request is a protocol switch
    /// that the route allows.
    private func allowsUpgrade(_ request: Request) -> String? {
        guard configuration.allowUpgrades, request.method == .get, let value = request.headers["Upgrade"],
              request.headers.containsToken("upgrade", in: "Connection") else { return nil }
        return value
    }

    /// Whether the request goes to the canary version, or nil without a canary.
    private func canaryChoice(_ request: Request) -> (label: String, canary: Bool)? {
        guard let canary = configuration.canary else { return nil }
        if let header = canary.header, FieldMatcher.matchesCondition(header, value: request.headers[header.name]) {
            return (canary.version, true)
        }
        return (canary.version, Double.random(in: 0..<100) < canary.weight)
    }

    private func respond(with result: Forwarder.Result, to request: Request, target: String) async -> Response {
        switch result {
        case .response(let response, _):
            return await relay(response, for: request, cacheKey: target)
        case .noInstance:
            return degrade(request, target: target, reason: "no_healthy_instance", status: .serviceUnavailable, message: "upstream \(upstream.name) has no available instance", retryAfter: nil)
        case .circuitOpen(let retryAfter):
            return degrade(request, target: target, reason: "circuit_open", status: .serviceUnavailable, message: "the circuit breaker of upstream \(upstream.name) is open", retryAfter: retryAfter)
        case .failed(let status, let reason):
            return degrade(request, target: target, reason: status == .gatewayTimeout ? "upstream_timeout" : "upstream_failed", status: status, message: "upstream \(upstream.name) failed: \(reason)", retryAfter: nil)
        case .bodyTooLarge:
            return GatewayErrorResponse.make(.contentTooLarge, reason: "body_too_large", message: "the request body is larger than the limit of \(bodyLimit) bytes")
        case .clientBodyFailed(let error):
            return GatewayErrorResponse.make(error.status, reason: "invalid_body", message: error.message)
        }
    }

    /// Bodies up to this size, with a declared length, are read whole before
    /// the response head is sent, which saves a producer task per response.
    static let collectedBodySize = 64 << 10

    /// Turns the upstream's response into the client's, streaming its body.
    func relay(_ upstream: HTTPClientResponse, for request: Request, cacheKey: String) async -> Response {
        var headers = upstream.headers
        let length = headers.contains("Transfer-Encoding") ? nil : headers["Content-Length"].flatMap { Int($0) }
        HopByHop.remove(from: &headers)
        responseHeaders.apply(to: &headers)
        if upstream.status.forbidsContent {
            Forwarder.discard(upstream)
            return Response(status: upstream.status, headers: headers)
        }
        if request.method == .head {
            // The server sends the head with this length and no body.
            return Response(status: upstream.status, headers: headers, body: OutgoingBody(length: length ?? 0) { _ in })
        }
        let cache = (request.method == .get && (200..<300).contains(upstream.status.code)) ? self.cache : nil
        if let length, length <= Self.collectedBodySize {
            do {
                let bytes = try await upstream.body.collect(upTo: length)
                if let cache, bytes.count <= cache.maxBodySize {
                    cache.store(cacheKey, status: upstream.status, headers: headers, body: bytes)
                }
                return Response(status: upstream.status, headers: headers, body: OutgoingBody(bytes: bytes))
            } catch {
                return GatewayErrorResponse.make(.badGateway, reason: "upstream_failed", message: "the response body from upstream \(self.upstream.name) failed: \(error)")
            }
        }
        return streamed(upstream, status: upstream.status, headers: headers, length: length, cache: cache, cacheKey: cacheKey)
    }

    private func streamed(_ upstream: HTTPClientResponse, status: HTTPStatus, headers: HTTPFields, length: Int?, cache: StaleResponseCache?, cacheKey: String) -> Response {
        let body = upstream.body
        return Response(status: status, headers: headers, body: OutgoingBody(length: length) { writer in
            let tee = cache.map { CacheTee(limit: $0.maxBodySize) }
            for try await chunk in body {
                tee?.add(chunk)
                try await writer.write(chunk)
            }
            if let cache, let bytes = tee?.body {
                cache.store(cacheKey, status: status, headers: headers, body: bytes)
            }
        })
    }

    /// Returns the response to a request the upstream could not serve: a
    /// fresh cached response, the static fallback, or a JSON error.
    func degrade(_ request: Request, target: String, reason: String, status: HTTPStatus, message: String, retryAfter: Duration?) -> Response {
        if request.method == .get, let cache, let entry = cache.lookup(target) {
            gatewayMetrics.recordFallback(route: name, kind: "stale")
            var headers = entry.headers
            headers.set("X-Stratus-Fallback", "stale")
            return Response(status: entry.status, headers: headers, body: OutgoingBody(bytes: entry.body))
        }
        if let fallback, let code = fallback.status {
            gatewayMetrics.recordFallback(route: name, kind: "static")
            return Response(
                status: HTTPStatus(code: code),
                headers: ["Content-Type": fallback.contentType, "X-Stratus-Fallback": "static"],
                body: OutgoingBody(string: fallback.body)
            )
        }
        gatewayMetrics.recordFallback(route: name, kind: "none")
        var headers: HTTPFields = [:]
        if let retryAfter {
            headers.set("Retry-After", String(PolicyRejection(reason: .circuitOpen, retryAfter: retryAfter).retryAfterSeconds))
        }
        return GatewayErrorResponse.make(status, reason: reason, message: message, headers: headers)
    }
}

extension FieldMatcher {
    /// Checks one configured condition without compiling a regex ahead;
    /// canary headers use value or presence conditions.
    static func matchesCondition(_ condition: FieldCondition, value: String?) -> Bool {
        (try? FieldMatcher(condition).matches(value)) ?? false
    }
}
