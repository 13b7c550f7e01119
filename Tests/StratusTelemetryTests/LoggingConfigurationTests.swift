import Glibc
import StratusLog
@testable import StratusTelemetry
import Testing

@Suite struct LoggingConfigurationTests {
    @Test func levelFromEnvironment() throws {
        let resolved = try LoggingConfiguration(level: .info)
            .resolved(environment: ["STRATUS_LOG_LEVEL": "debug"], outputIsTerminal: false)
        #expect(resolved.configuration.level == .debug)
    }

    @Test func levelIgnoresCase() throws {
        let resolved = try LoggingConfiguration()
            .resolved(environment: ["STRATUS_LOG_LEVEL": "WARNING"], outputIsTerminal: false)
        #expect(resolved.configuration.level == .warning)
    }

    @Test func levelDefaultsToConfiguration() throws {
        let resolved = try LoggingConfiguration(level: .notice).resolved(environment: [:], outputIsTerminal: false)
        #expect(resolved.configuration.level == .notice)
    }

    @Test func emptyLevelCountsAsUnset() throws {
        let resolved = try LoggingConfiguration(level: .error)
            .resolved(environment: ["STRATUS_LOG_LEVEL": ""], outputIsTerminal: false)
        #expect(resolved.configuration.level == .error)
    }

    @Test func invalidLevelNamesValue() {
        let expected = LoggingConfigurationError(
            setting: "STRATUS_LOG_LEVEL",
            value: "verbose",
            allowedValues: ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        )
        #expect(throws: expected) {
            try LoggingConfiguration().resolved(environment: ["STRATUS_LOG_LEVEL": "verbose"], outputIsTerminal: false)
        }
        #expect(expected.description.contains("\"verbose\""))
        #expect(expected.description.contains("trace, debug, info, notice, warning, error, critical"))
        #expect(expected.description.contains("STRATUS_LOG_LEVEL"))
    }

    @Test func invalidFormatNamesValue() {
        #expect(throws: LoggingConfigurationError(setting: "STRATUS_LOG_FORMAT", value: "xml", allowedValues: ["json", "console"])) {
            try LoggingConfiguration().resolved(environment: ["STRATUS_LOG_FORMAT": "xml"], outputIsTerminal: true)
        }
    }

    @Test func formatFollowsTerminal() throws {
        let onTerminal = try LoggingConfiguration().resolved(environment: [:], outputIsTerminal: true)
        let onPipe = try LoggingConfiguration().resolved(environment: [:], outputIsTerminal: false)
        #expect(onTerminal.configuration.format == .console)
        #expect(onPipe.configuration.format == .json)
    }

    @Test func formatFromEnvironmentWins() throws {
        let forcedJSON = try LoggingConfiguration(format: .console)
            .resolved(environment: ["STRATUS_LOG_FORMAT": "json"], outputIsTerminal: true)
        let forcedConsole = try LoggingConfiguration()
            .resolved(environment: ["STRATUS_LOG_FORMAT": "Console"], outputIsTerminal: false)
        #expect(forcedJSON.configuration.format == .json)
        #expect(forcedConsole.configuration.format == .console)
    }

    @Test func explicitFormatWithoutEnvironment() throws {
        let resolved = try LoggingConfiguration(format: .json).resolved(environment: [:], outputIsTerminal: true)
        #expect(resolved.configuration.format == .json)
    }

    @Test func colorOnlyOnTerminal() throws {
        let terminal = try LoggingConfiguration().resolved(environment: [:], outputIsTerminal: true)
        let pipe = try LoggingConfiguration()
            .resolved(environment: ["STRATUS_LOG_FORMAT": "console"], outputIsTerminal: false)
        #expect(terminal.useColor)
        #expect(!pipe.useColor)
    }

    @Test func noColorDisablesColor() throws {
        let disabled = try LoggingConfiguration().resolved(environment: ["NO_COLOR": "1"], outputIsTerminal: true)
        let emptyValue = try LoggingConfiguration().resolved(environment: ["NO_COLOR": ""], outputIsTerminal: true)
        #expect(!disabled.useColor)
        #expect(emptyValue.useColor)
    }

    @Test func factoryMakesConfiguredHandler() throws {
        let captured = CapturedLogOutput()
        let configuration = LoggingConfiguration(level: .debug, format: .console, output: captured.makeOutput())
        let factory = configuration.makeHandlerFactory(useColor: false)
        let handler = factory("svc", nil)

        #expect(handler is ConsoleLogHandler)
        #expect(handler.logLevel == .debug)
    }

    @Test func factoryDefaultsToJSON() {
        let configuration = LoggingConfiguration(format: nil, output: CapturedLogOutput().makeOutput())
        #expect(configuration.makeHandlerFactory(useColor: false)("svc", nil) is JSONLogHandler)
    }

    @Test func bootstrapRejectsInvalidLevel() async {
        await #expect(processExitsWith: .success) {
            setenv("STRATUS_LOG_LEVEL", "loud", 1)
            do {
                try Telemetry.bootstrapLogging()
                preconditionFailure("bootstrapLogging accepted STRATUS_LOG_LEVEL=loud")
            } catch let error as LoggingConfigurationError {
                precondition(error.value == "loud", "the error names \(error.value) instead of loud")
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
    }

    @Test func bootstrapInstallsHandlers() async {
        await #expect(processExitsWith: .success) {
            setenv("STRATUS_LOG_FORMAT", "json", 1)
            setenv("STRATUS_LOG_LEVEL", "debug", 1)
            let resolved = try! Telemetry.bootstrapLogging(level: .info)
            let logger = Logger(label: "after bootstrap")
            precondition(logger.handler is JSONLogHandler, "Logger(label:) did not get a JSONLogHandler")
            precondition(logger.logLevel == .debug, "STRATUS_LOG_LEVEL=debug was not applied")
            precondition(resolved.format == .json, "the resolved format is \(String(describing: resolved.format))")
        }
    }
}
