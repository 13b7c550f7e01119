import Foundation
import StratusHTTP

/// `stratus --healthcheck`: the container health check of the stratus
/// image. It sends `GET` to `STRATUS_HEALTHCHECK_URL` (default the control
/// plane's http://127.0.0.1:7700/healthz) and exits 0 on a 200 response, 1
/// otherwise.
enum HealthCheckCommand {
    static let variable = "STRATUS_HEALTHCHECK_URL"
    static let defaultURL = "http://127.0.0.1:7700/healthz"

    static func run() async -> Never {
        let url = ProcessInfo.processInfo.environment[variable] ?? defaultURL
        let client = HTTPClient()
        let status = try? await client.execute(HTTPClientRequest(url: url), timeout: .seconds(2), collectingUpTo: 1024).0.status
        client.shutdown()
        exit(status == .ok ? 0 : 1)
    }
}
