import StratusTestSupport
import Testing
import StratusConfig

@Suite struct FlagOverrideTests {
    @Test func precedenceFlagOverEnvironmentOverFileOverDefault() throws {
        let files = try ConfigFiles()
        let text = "port: 1\nhost: file\n"
        let environment = ["APP_PORT": "2", "APP_HOST": "environment", "APP_TIMEOUT": "9s"]
        let (all, _) = try files.loader(text, environment: environment, overrides: ["port=3"])
        let settings = try all.load(DefaultedSettings.self)
        #expect(settings.port == 3)
        #expect(settings.host == "environment")
        #expect(settings.timeout == .seconds(9))
        try all.checkUnknownKeys()

        let (fileOnly, _) = try files.loader(text)
        #expect(try fileOnly.load(DefaultedSettings.self).port == 1)
        #expect(try fileOnly.load(DefaultedSettings.self).timeout == .seconds(30))

        let (environmentOnly, _) = try files.loader(text, environment: environment)
        #expect(try environmentOnly.load(DefaultedSettings.self).port == 2)
    }

    @Test func laterFlagWins() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("port: 1\n", overrides: ["port=2", "port=3"])
        #expect(try loader.load(DefaultedSettings.self).port == 3)
        try loader.checkUnknownKeys()
    }

    @Test func flagReplacesWholeSection() throws {
        let files = try ConfigFiles()
        let text = "server:\n  host: a\n  port: 1\n  read_timeout: 5s\n  legacy: true\n"
        let (loader, _) = try files.loader(text, environment: ["APP_SERVER_PORT": "7"], overrides: ["server={host: b, port: 2}"])
        #expect(try loader.load(ServerSettings.self, at: "server") == ServerSettings(host: "b", port: 2))
        // The file's server keys and APP_SERVER_PORT are hidden by the flag,
        // not unknown.
        try loader.checkUnknownKeys()
    }

    @Test func environmentInsideFlagValueIgnored() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("", environment: ["APP_SERVER_PORT": "7"], overrides: ["server={host: b, port: 2}"])
        #expect(try loader.load(ServerSettings.self, at: "server")?.port == 2)
    }

    @Test func moreSpecificFlagWinsInsideFlagValue() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("", overrides: ["server={host: b, port: 2}", "server.port=4"])
        #expect(try loader.load(ServerSettings.self, at: "server") == ServerSettings(host: "b", port: 4))
    }

    @Test func flagInsideEnvironmentValueApplies() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("", environment: ["APP_SERVER": "{host: b, port: 2}"], overrides: ["server.host=c"])
        #expect(try loader.load(ServerSettings.self, at: "server") == ServerSettings(host: "c", port: 2))
    }

    @Test func flagForSequenceElement() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("peers:\n  - host: a\n    port: 1\n  - host: b\n    port: 2\n", overrides: ["peers[1].port=9"])
        #expect(try loader.load([Peer].self, at: "peers") == [Peer(host: "a", port: 1), Peer(host: "b", port: 9)])
        try loader.checkUnknownKeys()
    }

    @Test func flagAddsDictionaryKey() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("labels:\n  team: core\n", overrides: ["labels.tier=gold"])
        #expect(try loader.load([String: String].self, at: "labels") == ["team": "core", "tier": "gold"])
        try loader.checkUnknownKeys()
    }

    @Test func flagValueErrorNamesFlag() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  host: a\n  port: 1\n", overrides: ["server.port=abc"])
        #expect(
            configurationErrorText { _ = try loader.load(ServerSettings.self, at: "server") }
                == "flag --set server.port=abc: server.port: expected an integer from 0 to 65535, found \"abc\"; fix the flag"
        )
    }

    @Test func flagFlowValueErrorNamesColumn() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("", overrides: ["value=[1, 2, x]"])
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<[Int]>.self) }
                == "flag --set value=[1, 2, x], column 8: value[2]: expected an integer, found \"x\"; fix the flag"
        )
    }

    @Test func malformedOverrideRejected() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("", overrides: ["server.port"])
        let error = configurationError { _ = try loader.load(Wrapper<Int>.self) }
        #expect(error?.description == "invalid override \"server.port\": expected KEY=VALUE, such as server.port=8080")
        #expect(error?.code == .invalidOverride)
        let (badPath, _) = try files.loader("", overrides: ["server..port=1"])
        #expect(
            configurationErrorText { _ = try badPath.load(Wrapper<Int>.self) }
                == "invalid override \"server..port=1\": a key is empty; write keys separated by single dots, such as server.port"
        )
    }

    @Test func unknownFlagReportedWithSuggestion() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  host: a\n  port: 1\n", overrides: ["server.prot=2", "zzz=1", "peers[5]=x"])
        _ = try loader.load(ServerSettings.self, at: "server")
        _ = try loader.load([String].self, at: "peers")
        #expect(
            configurationErrorText { try loader.checkUnknownKeys() }
                == """
                3 unknown configuration keys, which no part of the service reads; fix their spelling or remove them:
                  flag --set server.prot=2; did you mean server.port?
                  flag --set zzz=1
                  flag --set peers[5]=x
                """
        )
    }

    @Test func flagWithEqualsInValue() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("", overrides: ["value=a=b"])
        #expect(try loader.load(Wrapper<String>.self).value == "a=b")
    }
}
