import Foundation
import Synchronization
import Testing
import StratusLog

@Suite struct LoggerTests {
    @Test func defaultLevelIsInfo() {
        let logger = Logger(label: "test") { StreamLogHandler.standardError(label: $0) }
        #expect(logger.logLevel == .info)
        #expect(logger.label == "test")
    }

    @Test func levelsCompareBySeverity() {
        #expect(Logger.Level.allCases == [.trace, .debug, .info, .notice, .warning, .error, .critical])
        for (lower, higher) in zip(Logger.Level.allCases, Logger.Level.allCases.dropFirst()) {
            #expect(lower < higher)
        }
    }

    @Test func levelCodesAsLowercaseName() throws {
        let encoded = try JSONEncoder().encode([Logger.Level.warning])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["warning"]"#)
        let decoded = try JSONDecoder().decode([Logger.Level].self, from: Data(#"["debug"]"#.utf8))
        #expect(decoded == [.debug])
        #expect(Logger.Level(rawValue: "critical") == .critical)
    }

    @Test func eventsBelowLevelAreDropped() {
        let recorder = LogRecorder()
        var logger = recorder.makeLogger()
        logger.logLevel = .warning
        logger.info("dropped")
        logger.warning("kept")
        logger.critical("kept too")
        #expect(recorder.events.map(\.message) == ["kept", "kept too"])
        #expect(recorder.events.map(\.level) == [.warning, .critical])
    }

    @Test func messageBelowLevelIsNotEvaluated() {
        let recorder = LogRecorder()
        var logger = recorder.makeLogger()
        logger.logLevel = .error
        let evaluations = Atomic<Int>(0)
        func expensive() -> String {
            evaluations.add(1, ordering: .relaxed)
            return "value"
        }

        logger.debug("message \(expensive())", metadata: ["key": "\(expensive())"], source: expensive())
        logger.warning("message \(expensive())", metadata: ["key": "\(expensive())"])
        #expect(evaluations.load(ordering: .relaxed) == 0)

        logger.error("message \(expensive())", metadata: ["key": "\(expensive())"])
        #expect(evaluations.load(ordering: .relaxed) == 2)
        #expect(recorder.events.count == 1)
    }

    @Test func metadataMergeOrder() throws {
        let recorder = LogRecorder()
        var logger = recorder.makeLogger(metadata: ["a": "handler", "b": "handler", "c": "handler"])
        logger[metadataKey: "b"] = "logger"
        logger[metadataKey: "c"] = "logger"
        logger.info("event", metadata: ["c": "call site"])

        let event = try #require(recorder.events.first)
        #expect(event.metadata["a"] == "handler")
        #expect(event.metadata["b"] == "logger")
        #expect(event.metadata["c"] == "call site")
    }

    @Test func loggerCopiesAreIndependent() {
        let recorder = LogRecorder()
        var original = recorder.makeLogger()
        original[metadataKey: "request.id"] = "1"
        var copy = original
        copy[metadataKey: "request.id"] = "2"
        copy.logLevel = .critical

        #expect(original[metadataKey: "request.id"] == "1")
        #expect(copy[metadataKey: "request.id"] == "2")
        #expect(original.logLevel == .info)
    }

    @Test func sourceDefaultsToModuleName() throws {
        let recorder = LogRecorder()
        let logger = recorder.makeLogger()
        logger.info("event")
        logger.info("event", source: "custom")
        #expect(recorder.events.map(\.source) == ["StratusLogTests", "custom"])
    }

    @Test func noOpHandlerSkipsEvaluation() {
        var logger = Logger(label: "quiet") { NoOpLogHandler(label: $0) }
        logger.logLevel = .trace
        logger[metadataKey: "key"] = "value"
        let evaluated = Atomic<Bool>(false)
        logger.error("\(evaluated.store(true, ordering: .relaxed))")

        #expect(logger.logLevel == .critical)
        #expect(logger[metadataKey: "key"] == nil)
        #expect(evaluated.load(ordering: .relaxed) == false)
    }
}
