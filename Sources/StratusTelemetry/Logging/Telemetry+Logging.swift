import Glibc
public import StratusLog

extension Telemetry {
    /// Sets up logging for the process: calls `LoggingSystem.bootstrap` with
    /// handlers of the configured format, after applying `STRATUS_LOG_LEVEL`,
    /// `STRATUS_LOG_FORMAT` and `NO_COLOR` from the environment as
    /// `LoggingConfiguration.resolved` describes. Call it once, at process
    /// start, before making loggers; a second call stops the process.
    ///
    /// - Returns: the configuration in effect, with the format resolved.
    /// - Throws: `LoggingConfigurationError` when an environment variable has
    ///   an invalid value. Logging is then left as it was, so the caller can
    ///   report the error on standard error and exit.
    @discardableResult
    public static func bootstrapLogging(
        level: Logger.Level = .info,
        format: LoggingConfiguration.Format? = nil,
        output: BufferedLogOutput = .standardOutput
    ) throws(LoggingConfigurationError) -> LoggingConfiguration {
        try bootstrapLogging(LoggingConfiguration(level: level, format: format, output: output))
    }

    /// Sets up logging from `configuration`, as `bootstrapLogging(level:format:output:)` does.
    @discardableResult
    public static func bootstrapLogging(
        _ configuration: LoggingConfiguration
    ) throws(LoggingConfigurationError) -> LoggingConfiguration {
        let (resolved, useColor) = try configuration.resolved(
            environment: loggingEnvironment(),
            outputIsTerminal: configuration.output.isTerminal
        )
        LoggingSystem.bootstrap(resolved.makeHandlerFactory(useColor: useColor), metadataProvider: resolved.metadataProvider)
        return resolved
    }

    /// Reads the environment variables that `LoggingConfiguration.resolved` uses.
    private static func loggingEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        let names = [
            LoggingConfiguration.levelVariable,
            LoggingConfiguration.formatVariable,
            LoggingConfiguration.noColorVariable,
        ]
        for name in names {
            if let value = getenv(name) {
                environment[name] = String(cString: value)
            }
        }
        return environment
    }
}

extension LoggingConfiguration {
    /// Returns a factory for `LoggingSystem.bootstrap` that makes handlers of
    /// the configured format (JSON when `format` is nil) at `level`. All its
    /// handlers share the output and one burst limiter, so identical events
    /// are counted together whichever logger writes them.
    public func makeHandlerFactory(useColor: Bool) -> LoggingSystem.Factory {
        let limiter = burstLimit.map { LogBurstLimiter(configuration: $0) }
        let format = format ?? .json
        let level = level
        let output = output
        let redactor = redactor
        return { label, provider -> any LogHandler in
            switch format {
            case .json:
                var handler = JSONLogHandler(
                    label: label, output: output, redactor: redactor, burstLimiter: limiter, metadataProvider: provider
                )
                handler.logLevel = level
                return handler
            case .console:
                var handler = ConsoleLogHandler(
                    label: label, output: output, useColor: useColor, redactor: redactor,
                    burstLimiter: limiter, metadataProvider: provider
                )
                handler.logLevel = level
                return handler
            }
        }
    }
}
