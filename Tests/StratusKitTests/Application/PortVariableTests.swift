import Testing
@testable import StratusKit

@Suite struct PortVariableTests {
    @Test func portSetsServerPortOverride() throws {
        let environment = try ServiceApplication.applyingPortVariable(to: ["PORT": "9100", "HOME": "/root"], name: "greeter-api")
        #expect(environment["GREETER_API_SERVER_PORT"] == "9100")
        #expect(environment["HOME"] == "/root")
    }

    @Test func prefixedVariableWinsOverPort() throws {
        let environment = try ServiceApplication.applyingPortVariable(to: ["PORT": "9100", "GREETER_API_SERVER_PORT": "9200"], name: "greeter-api")
        #expect(environment["GREETER_API_SERVER_PORT"] == "9200")
    }

    @Test func setFlagWinsOverPort() throws {
        let environment = try ServiceApplication.applyingPortVariable(to: ["PORT": "9100"], name: "app")
        let loader = ConfigurationLoader(file: nil, environment: environment, environmentPrefix: "app", overrides: ["server.port=9300"])
        #expect(try KitSettings.load(from: loader, environment: environment).server.port == 9300)
        let withoutFlag = ConfigurationLoader(file: nil, environment: environment, environmentPrefix: "app")
        #expect(try KitSettings.load(from: withoutFlag, environment: environment).server.port == 9100)
    }

    @Test func missingOrEmptyPortChangesNothing() throws {
        #expect(try ServiceApplication.applyingPortVariable(to: ["HOME": "/root"], name: "app") == ["HOME": "/root"])
        #expect(try ServiceApplication.applyingPortVariable(to: ["PORT": ""], name: "app") == ["PORT": ""])
    }

    @Test func invalidPortRejected() {
        for value in ["http", "70000", "-1"] {
            #expect(throws: StartupError("invalid value \(value) in PORT; expected a port from 0 to 65535")) {
                try ServiceApplication.applyingPortVariable(to: ["PORT": value], name: "app")
            }
        }
    }
}
