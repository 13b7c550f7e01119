import StratusDiscovery
import StratusHTTP

/// Probes instances with HTTP GET, as a Kubernetes HTTP probe does: a 2xx
/// or 3xx status passes, and any other status, a connection error or no
/// response within `timeoutSeconds` fails.
///
/// Each probe sends `Connection: close`, so the control plane keeps no idle
/// connection to every instance between probes. The client speaks no TLS
/// and resolves no host names: `HealthChecker` skips https instances, and a
/// probe of an instance registered by host name fails with the client's
/// error.
final class HTTPHealthProbe: Sendable {
    /// The maximum number of body bytes that a probe reads. The status
    /// alone decides the outcome, so the rest is left unread.
    static let maxBodyBytes = 64 << 10

    private let client: HTTPClient

    init(client: HTTPClient = HTTPClient()) {
        self.client = client
    }

    /// Sends one GET to the instance's check URL within its timeout.
    func probe(_ instance: ServiceInstance, _ check: HealthCheck) async -> ProbeOutcome {
        let url = Self.url(of: instance, check: check)
        let timeout = Duration.seconds(check.timeoutSeconds)
        return await ProbeDeadline.run(seconds: check.timeoutSeconds) { [client] in
            await Self.get(url, timeout: timeout, client: client)
        }
    }

    /// Returns `scheme://address:port/path`, with the check's port when it
    /// has one and brackets around an IPv6 address.
    static func url(of instance: ServiceInstance, check: HealthCheck) -> String {
        let host = instance.address.contains(":") ? "[\(instance.address)]" : instance.address
        return "\(instance.scheme)://\(host):\(check.port ?? instance.port)\(check.path)"
    }

    private static func get(_ url: String, timeout: Duration, client: HTTPClient) async -> ProbeOutcome {
        do {
            let request = HTTPClientRequest(method: .get, url: url, headers: ["Connection": "close"])
            let response = try await client.execute(request, timeout: timeout)
            try await discard(response.body)
            let code = response.status.code
            return (200..<400).contains(code) ? .passed : .failed(reason: "status \(code)")
        } catch {
            return .failed(reason: "\(error)")
        }
    }

    private static func discard(_ body: IncomingBody) async throws {
        var received = 0
        for try await chunk in body {
            received += chunk.count
            if received >= maxBodyBytes { return }
        }
    }
}
