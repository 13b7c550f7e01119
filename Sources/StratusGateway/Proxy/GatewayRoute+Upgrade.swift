import StratusDiscovery
import StratusHTTP

extension GatewayRoute {
    /// Passes a protocol switch (a WebSocket handshake) to one instance and,
    /// when it switches, copies bytes both ways until either side closes.
    /// Only a failed connect is retried, on another instance.
    func proxyUpgrade(_ request: Request, target: String, headers: HTTPFields) async -> Response {
        var failed: Set<String> = []
        var lastError = "no attempt"
        for _ in 0..<upstream.configuration.retries.attempts {
            var snapshot = upstream.available()
            if snapshot.upInstances.contains(where: { !failed.contains($0.id) }) {
                snapshot = snapshot.excluding(ids: failed)
            }
            guard let pick = upstream.stableBalancer.pick(from: snapshot) else {
                return degrade(request, target: target, reason: "no_healthy_instance", status: .serviceUnavailable, message: "upstream \(upstream.name) has no available instance", retryAfter: nil)
            }
            let instance = pick.instance
            GatewayRequestState.current?.recordAttempt(instance: instance.id)
            let outgoing = HTTPClientRequest(method: request.method, url: "http://\(instance.endpoint)\(target)", headers: headers)
            do {
                let result = try await upstream.http.upgrade(outgoing, timeout: upstream.configuration.perTryTimeout)
                upstream.stableBalancer.report(.success(latency: .zero), for: pick)
                upstream.outliers.record(.success(latency: .zero), for: instance.id)
                return await switchedResponse(result, for: request, target: target)
            } catch let error as HTTPClientError {
                upstream.stableBalancer.report(.failure(latency: .zero), for: pick)
                upstream.outliers.record(.failure(latency: .zero), for: instance.id)
                lastError = "\(instance.endpoint): \(error)"
                guard error.code == .connectFailed || error.code == .connectTimeout else { break }
                failed.insert(instance.id)
            } catch {
                lastError = "\(instance.endpoint): \(error)"
                break
            }
        }
        return degrade(request, target: target, reason: "upstream_failed", status: .badGateway, message: "upstream \(upstream.name) failed: \(lastError)", retryAfter: nil)
    }

    private func switchedResponse(_ result: HTTPUpgradeResult, for request: Request, target: String) async -> Response {
        switch result {
        case .switched(let head, let connection):
            var headers = head.headers
            let protocolName = headers["Upgrade"] ?? request.headers["Upgrade"] ?? ""
            HopByHop.remove(from: &headers)
            headers.set("Upgrade", protocolName)
            responseHeaders.apply(to: &headers)
            return Response.switchingProtocols(headers: headers) { client in
                await Tunnel.run(client, connection)
            }
        case .response(let response):
            return await relay(response, for: request, cacheKey: target)
        }
    }
}
