import Foundation
import StratusTestSupport
import Testing
import StratusConfig

@Suite struct ConfigurationLoaderTests {
    @Test func missingFileNamed() throws {
        let files = try ConfigFiles()
        let path = files.directory.appendingPathComponent("absent.yaml").path
        let loader = ConfigurationLoader(file: path, environment: [:])
        let error = configurationError { _ = try loader.load(Wrapper<Int>.self) }
        #expect(error?.description == "cannot read config file \(path): No such file or directory; check the path and its permissions")
        #expect(error?.code == .fileNotReadable)
        #expect(configurationError { try loader.checkUnknownKeys() }?.code == .fileNotReadable)
    }

    @Test func directoryIsNotAFile() throws {
        let files = try ConfigFiles()
        let path = files.directory.path
        let loader = ConfigurationLoader(file: path, environment: [:])
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<Int>.self) }
                == "cannot read config file \(path): Is a directory; check the path and its permissions"
        )
    }

    @Test func noFileUsesDefaults() throws {
        let loader = ConfigurationLoader(file: nil, environment: [:])
        let settings = try loader.load(DefaultedSettings.self)
        #expect(settings.port == 8080)
        #expect(try loader.load(ServerSettings.self, at: "server") == nil)
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<Int>.self) }
                == "value: missing; expected an integer; add it to a config file or pass --set value=VALUE"
        )
        try loader.checkUnknownKeys()
    }

    @Test func emptyFileIsEmptyMapping() throws {
        let files = try ConfigFiles()
        for text in ["", "# nothing set\n", "---\n"] {
            let (loader, _) = try files.loader(text)
            #expect(try loader.load(DefaultedSettings.self).host == "127.0.0.1")
            #expect(try loader.load(OptionalWrapper<Int>.self).value == nil)
            try loader.checkUnknownKeys()
        }
    }

    @Test func loadAtKeyPath() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  tls:\n    enabled: true\npeers:\n  - host: a\n    port: 1\nempty: ~\n")
        #expect(try loader.load(TLSSettings.self, at: "server.tls") == TLSSettings(enabled: true))
        #expect(try loader.load(Peer.self, at: "peers[0]") == Peer(host: "a", port: 1))
        #expect(try loader.load(Peer.self, at: "peers[1]") == nil)
        #expect(try loader.load(Peer.self, at: "absent") == nil)
        #expect(try loader.load(Peer.self, at: "absent.deeper") == nil)
        #expect(try loader.load(Peer.self, at: "empty") == nil)
    }

    @Test func loadAtKeyPathThroughScalarRejected() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("server: text\n")
        #expect(
            configurationErrorText { _ = try loader.load(Int.self, at: "server.port") }
                == "\(path):1:9: server: expected a mapping, found \"text\"; fix the value in \(path) or override it with APP_SERVER"
        )
    }

    @Test func invalidKeyPathRejected() throws {
        let loader = ConfigurationLoader(file: nil, environment: [:])
        let error = configurationError { _ = try loader.load(Int.self, at: "a..b") }
        #expect(error?.description == "invalid key path \"a..b\": a key is empty; write keys separated by single dots, such as server.port")
        #expect(error?.code == .invalidKeyPath)
        #expect(configurationErrorText { _ = try loader.load(Int.self, at: "") } == "invalid key path \"\": the key path is empty")
    }

    @Test func syntaxErrorFromEveryLoad() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("server:\n\tport: 1\n")
        let expected = "\(path):2:1: invalid YAML: found character that cannot start any token (while scanning for the next token at line 2, column 1); indent with spaces, because YAML does not allow tabs there"
        #expect(configurationErrorText { _ = try loader.load(Wrapper<Int>.self) } == expected)
        #expect(configurationErrorText { _ = try loader.load(Int.self, at: "server.port") } == expected)
    }

    @Test func duplicateKeyInFileRejected() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("server:\n  port: 1\n  port: 2\n")
        #expect(
            configurationErrorText { _ = try loader.load(ServerSettings.self, at: "server") }
                == "\(path):3:3: server.port: duplicate key \"port\", first defined on line 2; remove one of them"
        )
    }

    @Test func unicodeValuesAndKeys() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("greeting: \"こんにちは 👋\"\nnamen:\n  straße: Hauptstraße 1\n")
        #expect(try loader.load(String.self, at: "greeting") == "こんにちは 👋")
        #expect(try loader.load([String: String].self, at: "namen") == ["straße": "Hauptstraße 1"])
    }

    @Test func environmentDefaultsToProcess() throws {
        let loader = ConfigurationLoader(file: nil, environmentPrefix: "STRATUS_CONFIG_TEST_UNSET_PREFIX")
        #expect(try loader.load(OptionalWrapper<Int>.self).value == nil)
        try loader.checkUnknownKeys()
    }
}
