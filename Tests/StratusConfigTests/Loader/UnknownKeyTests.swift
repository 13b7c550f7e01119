import StratusTestSupport
import Testing
import StratusConfig

struct LoggingSettings: Decodable {
    var level: LogLevel
}

/// A user's own settings, which do not declare the kit's sections.
struct OrderSettings: Decodable {
    var maxItems: Int

    enum CodingKeys: String, CodingKey {
        case maxItems = "max_items"
    }
}

struct UserSections: Decodable {
    var orders: OrderSettings
}

@Suite struct UnknownKeyTests {
    static let file = """
        server:
          host: a
          prot: 8080
          port: 80
        log:
          level: info
        tracng:
          enabled: true
        orders:
          max_item: 3
          max_items: 4
        """

    @Test func listsEveryUnknownKeyWithSuggestion() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader(Self.file)
        _ = try loader.load(ServerSettings.self, at: "server")
        _ = try loader.load(LoggingSettings.self, at: "log")
        _ = try loader.load(UserSections.self)
        _ = try loader.load(Bool.self, at: "tracing.enabled")
        let error = configurationError { try loader.checkUnknownKeys() }
        #expect(
            error?.description == """
                3 unknown configuration keys, which no part of the service reads; fix their spelling or remove them:
                  \(path):3:3: server.prot; did you mean server.port?
                  \(path):7:1: tracng; did you mean tracing?
                  \(path):10:3: orders.max_item; did you mean orders.max_items?
                """
        )
        #expect(error?.code == .unknownKeys)
        #expect(error?.keyPath == nil)
        #expect(loader.unknownKeys() == ["\(path):3:3: server.prot; did you mean server.port?", "\(path):7:1: tracng; did you mean tracing?", "\(path):10:3: orders.max_item; did you mean orders.max_items?"])
    }

    @Test func sectionNobodyLoadsIsUnknown() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("server:\n  host: a\n  port: 1\ncontrolplane:\n  url: http://127.0.0.1:7700\n")
        _ = try loader.load(ServerSettings.self, at: "server")
        #expect(loader.unknownKeys() == ["\(path):4:1: controlplane"])
    }

    @Test func readsAcrossLoadsCount() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  host: a\n  port: 1\nlog:\n  level: info\norders:\n  max_items: 2\n")
        _ = try loader.load(ServerSettings.self, at: "server")
        #expect(loader.unknownKeys().count == 2)
        _ = try loader.load(LoggingSettings.self, at: "log")
        #expect(loader.unknownKeys().count == 1)
        _ = try loader.load(UserSections.self)
        try loader.checkUnknownKeys()
    }

    @Test func concurrentLoadsMerge() async throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  host: a\n  port: 1\nlog:\n  level: info\norders:\n  max_items: 2\n")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try loader.load(ServerSettings.self, at: "server") }
            group.addTask { _ = try loader.load(LoggingSettings.self, at: "log") }
            group.addTask { _ = try loader.load(UserSections.self) }
            try await group.waitForAll()
        }
        try loader.checkUnknownKeys()
    }

    @Test func allowsUnknownKeysWhenAsked() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value: 1\nextra: 2\n", allowsUnknownKeys: true)
        _ = try loader.load(Wrapper<Int>.self)
        try loader.checkUnknownKeys()
        #expect(loader.unknownKeys() == ["\(path):2:1: extra"])
    }

    @Test func distantKeyGetsNoSuggestion() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value: 1\ncompletely_different: 2\nVALUE: 3\n")
        _ = try loader.load(Wrapper<Int>.self)
        #expect(loader.unknownKeys() == ["\(path):2:1: completely_different", "\(path):3:1: VALUE; did you mean value?"])
    }

    @Test func unknownKeyInSequenceElement() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value:\n  - host: a\n    port: 1\n  - host: b\n    port: 2\n    hots: c\n")
        _ = try loader.load(Wrapper<[Peer]>.self)
        #expect(loader.unknownKeys() == ["\(path):6:5: value[1].hots; did you mean value[1].host?"])
    }

    @Test func dictionaryKeysAreRead() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("value:\n  anything: 1\n  goes: 2\n")
        _ = try loader.load(Wrapper<[String: Int]>.self)
        try loader.checkUnknownKeys()
    }

    @Test func anchorOnlyKeyIsUnknown() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("defaults: &peer {host: a, port: 1}\nvalue: *peer\n")
        _ = try loader.load(Wrapper<Peer>.self)
        #expect(loader.unknownKeys() == ["\(path):1:1: defaults"])
    }

    @Test func keyOfOptionalLookedUpIsKnown() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("value: null\n")
        _ = try loader.load(OptionalWrapper<Int>.self)
        try loader.checkUnknownKeys()
    }

    @Test func nothingLoadedReportsEverything() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("a: 1\nb: {c: 2}\n")
        #expect(loader.unknownKeys() == ["\(path):1:1: a", "\(path):2:1: b"])
    }

    @Test func failedSourcesThrowFromCheck() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("a: [\n")
        #expect(configurationError { try loader.checkUnknownKeys() }?.code == .invalidYAML)
        #expect(loader.unknownKeys().isEmpty)
        _ = path
    }
}
