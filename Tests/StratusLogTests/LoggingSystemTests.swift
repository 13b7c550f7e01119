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

    @Test func withoutBootstrapUsesStreamHandler() {
        let logger = Logger(label: "default")
        #expect(logger.handler is StreamLogHandler)
    }
}
