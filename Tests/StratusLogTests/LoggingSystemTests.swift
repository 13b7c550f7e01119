import Testing
import StratusLog

// Bootstrapping changes process-wide state, so these tests run it in child
// processes (exit tests) and leave the test process's logging untouched.
@Suite struct LoggingSystemTests {
    @Test func bootstrapSetsFactory() async {
        await #expect(processExitsWith: .success) {
            LoggingSystem.bootstrap { NoOpLogHandler(label: $0) }
            let logger = Logger(label: "after bootstrap")
            precondition(logger.handler is NoOpLogHandler, "Logger(label:) ignored the bootstrapped factory")
        }
    }

    @Test func secondBootstrapStopsProcess() async {
        await #expect(processExitsWith: .failure) {
            LoggingSystem.bootstrap { NoOpLogHandler(label: $0) }
            LoggingSystem.bootstrap { NoOpLogHandler(label: $0) }
        }
    }

    @Test func bootstrapPassesProviderToFactory() async {
        await #expect(processExitsWith: .success) {
            let provider = Logger.MetadataProvider { ["from": "bootstrap"] }
            LoggingSystem.bootstrap({ label, provider in
                var handler = StreamLogHandler.standardError(label: label)
                handler.metadataProvider = provider
                return handler
            }, metadataProvider: provider)
            let logger = Logger(label: "after bootstrap")
            precondition(logger.metadataProvider?.get()["from"] == "bootstrap", "the factory did not receive the provider")
            precondition(LoggingSystem.metadataProvider != nil, "LoggingSystem.metadataProvider is nil after bootstrap")
        }
    }

    @Test func explicitProviderReplacesBootstrapped() async {
        await #expect(processExitsWith: .success) {
            LoggingSystem.bootstrap({ label, provider in
                var handler = StreamLogHandler.standardError(label: label)
                handler.metadataProvider = provider
                return handler
            }, metadataProvider: Logger.MetadataProvider { ["from": "bootstrap"] })
            let logger = Logger(label: "explicit", metadataProvider: Logger.MetadataProvider { ["from": "logger"] })
            precondition(logger.metadataProvider?.get()["from"] == "logger", "the logger's own provider was not used")
        }
    }

    @Test func withoutBootstrapUsesStreamHandler() {
        let logger = Logger(label: "default")
        #expect(logger.handler is StreamLogHandler)
    }
}
