import Foundation
import StratusHTTP
import Testing

extension IAMProcessTests {
    /// `GET /healthz` of each service, as marmotedu/iam's smoke test and
    /// its clients read it.
    @Suite struct HealthTests {
        @Test func healthzReturnsJSONStatus() async throws {
            let deployment = try await IAMDeployment.start()
            #expect(Set(deployment.processes.map(\.name)) == ["iam-apiserver", "iam-authz-server", "iam-pump"])
            do {
                for service in deployment.processes {
                    let request = HTTPClientRequest(url: service.baseURL + "/healthz")
                    let (response, bytes) = try await deployment.http.execute(request, collectingUpTo: 1 << 16)
                    let body = String(decoding: bytes, as: UTF8.self)
                    #expect(response.status == .ok, "\(service.name)")
                    #expect(response.headers["Content-Type"] == "application/json", "\(service.name)")
                    #expect(body == #"{"status":"ok"}"#, "\(service.name)")
                    // The smoke test's check of the pump's body.
                    #expect(body.contains(/status.*ok/), "\(service.name)")
                }
            } catch {
                Issue.record(error)
            }
            await deployment.stop()
        }
    }
}
