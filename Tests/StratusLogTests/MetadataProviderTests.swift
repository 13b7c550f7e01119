import Synchronization
import Testing
import StratusLog

@Suite struct MetadataProviderTests {
    @TaskLocal static var tenant: String?

    static let tenantProvider = Logger.MetadataProvider {
        guard let tenant = MetadataProviderTests.tenant else { return [:] }
        return ["tenant": .string(tenant)]
    }

    @Test func providerReadsTaskLocal() throws {
        let recorder = LogRecorder()
        let logger = recorder.makeLogger(metadataProvider: Self.tenantProvider)
        logger.info("outside")
        Self.$tenant.withValue("acme") {
            logger.info("inside")
        }

        let events = recorder.events
        try #require(events.count == 2)
        #expect(events[0].metadata["tenant"] == nil)
        #expect(events[1].metadata["tenant"] == "acme")
    }

    @Test func mergeOrderHandlerProviderCallSite() throws {
        let recorder = LogRecorder()
        let provider = Logger.MetadataProvider { ["a": "provider", "b": "provider", "c": "provider"] }
        let logger = recorder.makeLogger(metadata: ["a": "handler", "b": "handler", "d": "handler"], metadataProvider: provider)
        logger.info("event", metadata: ["c": "call site"])

        let event = try #require(recorder.events.first)
        #expect(event.metadata["a"] == "provider")
        #expect(event.metadata["b"] == "provider")
        #expect(event.metadata["c"] == "call site")
        #expect(event.metadata["d"] == "handler")
    }

    @Test func providerRunsOnlyForWrittenEvents() {
        let calls = Atomic<Int>(0)
        let provider = Logger.MetadataProvider {
            calls.add(1, ordering: .relaxed)
            return [:]
        }
        let logger = LogRecorder().makeLogger(metadataProvider: provider)
        logger.debug("below the level")
        logger.info("written")
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test func multiplexLaterProviderWins() throws {
        let first = Logger.MetadataProvider { ["shared": "first", "only.first": "1"] }
        let second = Logger.MetadataProvider { ["shared": "second", "only.second": "2"] }
        let combined = try #require(Logger.MetadataProvider.multiplex([first, second]))
        let metadata = combined.get()

        #expect(metadata["shared"] == "second")
        #expect(metadata["only.first"] == "1")
        #expect(metadata["only.second"] == "2")
    }

    @Test func multiplexOfNothingIsNil() {
        #expect(Logger.MetadataProvider.multiplex([]) == nil)
    }

    @Test func loggerExposesProvider() {
        let logger = LogRecorder().makeLogger(metadataProvider: Self.tenantProvider)
        #expect(logger.metadataProvider != nil)
    }

    @Test func handlerWithoutSupportIgnoresProvider() {
        var handler = NoOpLogHandler()
        handler.metadataProvider = Self.tenantProvider
        #expect(handler.metadataProvider == nil)
    }

    @Test func streamHandlerWritesProviderMetadata() throws {
        let lines = Mutex<[String]>([])
        let output = LogOutput { line in lines.withLock { $0.append(line) } }
        var handler = StreamLogHandler(label: "svc", output: output)
        handler.metadataProvider = Self.tenantProvider
        let logger = Logger(label: "svc") { _ in handler }
        Self.$tenant.withValue("acme") {
            logger.info("started")
        }

        let written = lines.withLock { $0 }
        try #require(written.count == 1)
        #expect(written[0].hasSuffix(" info svc: started tenant=acme\n"))
    }
}
