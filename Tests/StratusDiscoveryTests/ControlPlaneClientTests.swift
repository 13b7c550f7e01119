import Testing
import StratusDiscovery

@Suite struct ControlPlaneClientTests {
    @Test(arguments: ["127.0.0.1:7700", "https://127.0.0.1:7700", "http://127.0.0.1", "http://127.0.0.1:0", "http://:7700", "http://127.0.0.1:99999"])
    func invalidEndpointIsRejected(endpoint: String) {
        let error = #expect(throws: DiscoveryError.self) {
            _ = try ControlPlaneClient(endpoints: [endpoint])
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(endpoint) == true)
        #expect(error?.message.contains("expected http://host:port") == true)
    }

    @Test func emptyEndpointListIsRejected() {
        let error = #expect(throws: DiscoveryError.self) {
            _ = try ControlPlaneClient(endpoints: [])
        }
        #expect(error?.code == .invalidArgument)
    }

    @Test func validEndpointsAreAccepted() throws {
        let client = try ControlPlaneClient(endpoints: ["http://127.0.0.1:7700", "http://[::1]:7701/"])
        #expect(client.endpoints == ["http://127.0.0.1:7700", "http://[::1]:7701"])
    }
}
