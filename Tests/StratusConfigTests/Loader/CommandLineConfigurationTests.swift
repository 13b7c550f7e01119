import StratusTestSupport
import Testing
import StratusConfig

@Suite struct CommandLineConfigurationTests {
    @Test func separatesConfigurationFlags() throws {
        let parsed = try CommandLineConfiguration.parse(["--verbose", "--config", "app.yaml", "--set", "server.port=1", "serve", "--set=log.level=debug", "-x"])
        #expect(parsed == CommandLineConfiguration(file: "app.yaml", overrides: ["server.port=1", "log.level=debug"], remaining: ["--verbose", "serve", "-x"]))
    }

    @Test func inlineConfigValue() throws {
        let parsed = try CommandLineConfiguration.parse(["--config=/etc/app/config.yaml"])
        #expect(parsed.file == "/etc/app/config.yaml")
        #expect(parsed.overrides.isEmpty)
        #expect(parsed.remaining.isEmpty)
    }

    @Test func noFlags() throws {
        #expect(try CommandLineConfiguration.parse([]) == CommandLineConfiguration())
        #expect(try CommandLineConfiguration.parse(["run", "--port", "1"]) == CommandLineConfiguration(remaining: ["run", "--port", "1"]))
    }

    @Test func stopsAtDoubleDash() throws {
        let parsed = try CommandLineConfiguration.parse(["--set", "a=1", "--", "--config", "x.yaml", "--set", "b=2"])
        #expect(parsed == CommandLineConfiguration(overrides: ["a=1"], remaining: ["--", "--config", "x.yaml", "--set", "b=2"]))
    }

    @Test func setValueStartingWithDashes() throws {
        let parsed = try CommandLineConfiguration.parse(["--set", "args=--fast"])
        #expect(parsed.overrides == ["args=--fast"])
    }

    @Test func missingValuesRejected() {
        let missingConfig = configurationError { _ = try CommandLineConfiguration.parse(["--config"]) }
        #expect(missingConfig?.description == "--config needs a value: --config FILE")
        #expect(missingConfig?.code == .invalidCommandLine)
        #expect(
            configurationErrorText { _ = try CommandLineConfiguration.parse(["--set"]) }
                == "--set needs a value: --set KEY=VALUE, such as --set server.port=8080"
        )
        #expect(configurationErrorText { _ = try CommandLineConfiguration.parse(["--config="]) } == "--config needs a file name, found an empty value")
    }

    @Test func secondConfigRejected() {
        #expect(
            configurationErrorText { _ = try CommandLineConfiguration.parse(["--config", "a.yaml", "--config=b.yaml"]) }
                == "--config is given twice (a.yaml and b.yaml); give one config file"
        )
    }

    @Test func malformedSetRejected() {
        #expect(
            configurationErrorText { _ = try CommandLineConfiguration.parse(["--set", "server.port"]) }
                == "invalid --set server.port: expected KEY=VALUE, such as server.port=8080"
        )
        #expect(
            configurationErrorText { _ = try CommandLineConfiguration.parse(["--set", ".port=1"]) }
                == "invalid --set .port=1: a key is empty; write keys separated by single dots, such as server.port"
        )
        #expect(
            configurationErrorText { _ = try CommandLineConfiguration.parse(["--set=peers[x]=1"]) }
                == "invalid --set peers[x]=1: the index \"[x]\" in \"peers[x]\" is not a non-negative integer"
        )
        #expect(
            configurationErrorText { _ = try CommandLineConfiguration.parse(["--set", "peers[1=1"]) }
                == "invalid --set peers[1=1: \"peers[1\" has an unclosed or stray bracket; write an index as key[2]"
        )
        #expect(configurationErrorText { _ = try CommandLineConfiguration.parse(["--set", "=1"]) } == "invalid --set =1: the key path is empty")
    }

    @Test func parsedFlagsFeedLoader() throws {
        let files = try ConfigFiles()
        let path = try files.write("server:\n  host: a\n  port: 1\n")
        let parsed = try CommandLineConfiguration.parse(["--config", path, "--set", "server.port=2"])
        let loader = ConfigurationLoader(file: parsed.file, environment: [:], overrides: parsed.overrides)
        #expect(try loader.load(ServerSettings.self, at: "server") == ServerSettings(host: "a", port: 2))
    }
}
