import StratusTestSupport
import Testing
import StratusConfig

struct TimeoutSettings: Decodable, Equatable {
    var readTimeout: Duration
    var writeTimeout: Duration?

    enum CodingKeys: String, CodingKey {
        case readTimeout = "read_timeout"
        case writeTimeout = "write-timeout"
    }
}

struct ServiceSettings: Decodable {
    var name: String?
    var server: ServerSettings
    var peers: [String]?
    var labels: [String: String]?
}

@Suite struct EnvironmentOverrideTests {
    @Test func underscoreFormOverridesFile() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  host: a\n  port: 80\n", environment: ["APP_SERVER_PORT": "9000", "APP_SERVER_HOST": "b"])
        let settings = try loader.load(ServiceSettings.self)
        #expect(settings.server.port == 9000)
        #expect(settings.server.host == "b")
        try loader.checkUnknownKeys()
    }

    @Test func doubleUnderscoreFormKeepsUnderscoresInKeys() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  read_timeout: 1s\n", environment: ["APP__server__read_timeout": "5s"])
        #expect(try loader.load(TimeoutSettings.self, at: "server")?.readTimeout == .seconds(5))
        try loader.checkUnknownKeys()
    }

    @Test func underscoreFormAlsoMatchesUnderscoreKeys() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  read_timeout: 1s\n", environment: ["APP_SERVER_READ_TIMEOUT": "7s"])
        #expect(try loader.load(TimeoutSettings.self, at: "server")?.readTimeout == .seconds(7))
    }

    @Test func dashInKeyBecomesUnderscore() throws {
        let files = try ConfigFiles()
        let environment = ["APP_SERVER_WRITE_TIMEOUT": "3s", "APP__SERVER__READ_TIMEOUT": "2s"]
        let (loader, _) = try files.loader("server:\n  read_timeout: 1s\n", environment: environment)
        #expect(try loader.load(TimeoutSettings.self, at: "server") == TimeoutSettings(readTimeout: .seconds(2), writeTimeout: .seconds(3)))
        try loader.checkUnknownKeys()
    }

    @Test func nameAfterPrefixIgnoresCase() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  host: a\n  port: 80\n", environment: ["APP_server_Port": "81", "app_SERVER_HOST": "ignored"])
        #expect(try loader.load(ServerSettings.self, at: "server") == ServerSettings(host: "a", port: 81))
    }

    @Test func setsSectionAbsentFromFile() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("name: a\n", environment: ["APP_SERVER_HOST": "h", "APP_SERVER_PORT": "1"])
        #expect(try loader.load(ServiceSettings.self).server == ServerSettings(host: "h", port: 1))
        #expect(try loader.load(ServerSettings.self, at: "server") == ServerSettings(host: "h", port: 1))
    }

    @Test func setsSectionWrittenAsNull() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  # host: a\n", environment: ["APP_SERVER_HOST": "h", "APP_SERVER_PORT": "1"])
        struct MaybeServer: Decodable {
            var server: ServerSettings?
        }
        #expect(try loader.load(MaybeServer.self).server == ServerSettings(host: "h", port: 1))
        #expect(try loader.load(ServerSettings.self, at: "server") == ServerSettings(host: "h", port: 1))
        try loader.checkUnknownKeys()
    }

    @Test func worksWithoutFile() throws {
        let loader = ConfigurationLoader(file: nil, environment: ["APP_SERVER_HOST": "h", "APP_SERVER_PORT": "2"], environmentPrefix: "app")
        #expect(try loader.load(ServerSettings.self, at: "server") == ServerSettings(host: "h", port: 2))
        #expect(
            configurationErrorText { _ = try loader.load(TimeoutSettings.self, at: "server") }
                == "server.read_timeout: missing; expected a duration such as 250ms, 5s or 1m30s; add it to a config file or set APP_SERVER_READ_TIMEOUT"
        )
    }

    @Test func flowValuesForListsAndMappings() throws {
        let files = try ConfigFiles()
        let environment = ["APP_PEERS": "[a, 'b c', \"d\"]", "APP_LABELS": "{team: core, tier: 1}", "APP_SERVER": "{host: x, port: 5}"]
        let (loader, _) = try files.loader("peers: [z]\nserver: {host: a, port: 1}\n", environment: environment)
        let settings = try loader.load(ServiceSettings.self)
        #expect(settings.peers == ["a", "b c", "d"])
        #expect(settings.labels == ["team": "core", "tier": "1"])
        #expect(settings.server == ServerSettings(host: "x", port: 5))
        try loader.checkUnknownKeys()
    }

    @Test func flowTextIsAStringWhenStringRead() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("name: a\nserver: {host: a, port: 1}\n", environment: ["APP_NAME": "[not, a, list"])
        #expect(try loader.load(ServiceSettings.self).name == "[not, a, list")
    }

    @Test func invalidFlowValueNamesVariable() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server: {host: a, port: 1}\n", environment: ["APP_PEERS": "[a, b"])
        #expect(
            configurationErrorText { _ = try loader.load(ServiceSettings.self) }
                == "environment variable APP_PEERS, line 2, column 1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 1); fix the YAML flow value of APP_PEERS, such as [a, b] or {key: value}"
        )
    }

    @Test func scalarWhereListExpected() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server: {host: a, port: 1}\n", environment: ["APP_PEERS": "a,b"])
        #expect(
            configurationErrorText { _ = try loader.load(ServiceSettings.self) }
                == "environment variable APP_PEERS: peers: expected a sequence, found \"a,b\"; fix or unset APP_PEERS"
        )
    }

    @Test func invalidValueNamesVariable() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  host: a\n  port: 80\n", environment: ["APP_SERVER_PORT": "80a"])
        let error = configurationError { _ = try loader.load(ServerSettings.self, at: "server") }
        #expect(
            error?.description
                == "environment variable APP_SERVER_PORT: server.port: expected an integer from 0 to 65535, found \"80a\"; fix or unset APP_SERVER_PORT"
        )
        #expect(error?.code == .invalidValue)
        #expect(error?.keyPath == "server.port")
    }

    @Test func errorInsideFlowValueNamesVariable() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("", environment: ["APP_VALUE": "[1, x]"])
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<[Int]>.self) }
                == "environment variable APP_VALUE, column 5: value[1]: expected an integer, found \"x\"; fix or unset APP_VALUE"
        )
        let (missing, _) = try files.loader("", environment: ["APP_SERVER": "{host: a}"])
        #expect(
            configurationErrorText { _ = try missing.load(ServerSettings.self, at: "server") }
                == "environment variable APP_SERVER: server.port: missing; expected an integer from 0 to 65535; add it to the value of APP_SERVER"
        )
    }

    @Test func sequenceElementByIndex() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("peers: [a, b, c]\n", environment: ["APP_PEERS_1": "x", "APP__peers__2": "y"])
        #expect(try loader.load([String].self, at: "peers") == ["a", "x", "y"])
        try loader.checkUnknownKeys()
    }

    @Test func emptyOrNullValueUnsetsOptional() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("value: set\n", environment: ["APP_VALUE": ""])
        #expect(try loader.load(OptionalWrapper<String>.self).value == nil)
        #expect(try loader.load(Wrapper<String>.self).value == "")
        let (null, _) = try files.loader("value: 3\n", environment: ["APP_VALUE": "null"])
        #expect(try null.load(OptionalWrapper<Int>.self).value == nil)
    }

    @Test func typedScalarsFromText() throws {
        let files = try ConfigFiles()
        let environment = ["APP_FLAG": "TRUE", "APP_RATIO": "0.25", "APP_WAIT": "1m", "APP_LEVEL": "debug", "APP_COUNT": "0x10"]
        let (loader, _) = try files.loader("", environment: environment)
        struct Values: Decodable {
            var flag: Bool
            var ratio: Double
            var wait: Duration
            var level: LogLevel
            var count: Int
        }
        let values = try loader.load(Values.self)
        #expect(values.flag)
        #expect(values.ratio == 0.25)
        #expect(values.wait == .seconds(60))
        #expect(values.level == .debug)
        #expect(values.count == 16)
        let (yes, _) = try files.loader("", environment: ["APP_FLAG": "yes"])
        #expect(configurationErrorText { _ = try yes.load(Bool.self, at: "flag") }?.contains("YAML 1.2 reads yes, no, on and off as strings") == true)
    }

    @Test func unknownVariableReportedWithSuggestion() throws {
        let files = try ConfigFiles()
        let environment = ["APP_SERVER_PROT": "1", "APP__server__hots": "x", "APP_UNRELATED_THING": "1", "APPLE_PIE": "1", "PATH": "/bin"]
        let (loader, path) = try files.loader("server:\n  host: a\n  port: 80\n", environment: environment)
        _ = try loader.load(ServerSettings.self, at: "server")
        #expect(
            configurationErrorText { try loader.checkUnknownKeys() }
                == """
                3 unknown configuration keys, which no part of the service reads; fix their spelling or remove them:
                  environment variable APP_SERVER_PROT; did you mean APP_SERVER_PORT?
                  environment variable APP_UNRELATED_THING
                  environment variable APP__server__hots; did you mean APP__SERVER__HOST?
                """
        )
        _ = path
    }

    @Test func bothFormsForOneKeyRejected() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  host: a\n  port: 80\n", environment: ["APP_SERVER_PORT": "1", "APP__server__port": "2"])
        let error = configurationError { _ = try loader.load(ServerSettings.self, at: "server") }
        #expect(error?.description == "environment variables APP_SERVER_PORT and APP__server__port both set server.port; unset one of them")
        #expect(error?.code == .invalidOverride)
    }

    @Test func prefixNormalized() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("value: 1\n", environment: ["IAM_APISERVER_VALUE": "2"], prefix: "iam-apiserver_")
        #expect(try loader.load(Wrapper<Int>.self).value == 2)
    }

    @Test func noPrefixReadsNoVariables() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("value: 1\n", environment: ["APP_VALUE": "2", "_VALUE": "3"], prefix: nil)
        #expect(try loader.load(Wrapper<Int>.self).value == 1)
        try loader.checkUnknownKeys()
    }

    @Test func emptyPrefixRejected() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("value: 1\n", prefix: "-_")
        let error = configurationError { _ = try loader.load(Wrapper<Int>.self) }
        #expect(error?.description == "the environment prefix \"-_\" contains no letters or digits; pass a service name such as \"app\", or nil to read no environment variables")
        #expect(error?.code == .invalidOverride)
    }

    @Test func unknownKeyInsideFlowValueReported() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("", environment: ["APP_SERVER": "{host: a, port: 1, prot: 2}"])
        _ = try loader.load(ServerSettings.self, at: "server")
        #expect(
            configurationErrorText { try loader.checkUnknownKeys() }
                == """
                1 unknown configuration key, which no part of the service reads; fix its spelling or remove it:
                  environment variable APP_SERVER, column 20: server.prot; did you mean server.port?
                """
        )
    }
}
