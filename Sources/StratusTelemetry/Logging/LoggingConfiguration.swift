public import StratusLog

/// The settings `Telemetry.bootstrapLogging` applies: level, line format,
/// destination, colors, burst limiting and redaction.
public struct LoggingConfiguration: Sendable {
    /// The line format.
    public enum Format: String, Sendable, CaseIterable {
        /// One JSON object per line (`JSONLogHandler`), for log collectors.
        case json
        /// Readable single lines (`ConsoleLogHandler`), for terminals.
        case console
    }

    /// The minimum level written by loggers made with `Logger(label:)`.
    public var level: Logger.Level
    /// The format, or nil to choose from the destination: console when it is
    /// a terminal, JSON otherwise.
    public var format: Format?
    /// The destination of the lines.
    public var output: BufferedLogOutput
    /// Whether console lines may be colored. They are colored only when this
    /// is true, the destination is a terminal and `NO_COLOR` is unset or empty.
    public var allowsColor: Bool
    /// Burst limiting, or nil to write every event.
    public var burstLimit: LogBurstLimiter.Configuration?
    public var redactor: Redactor
    /// A provider whose metadata every handler adds, such as a tenant id.
    /// `trace_id` and `span_id` are added without one.
    public var metadataProvider: Logger.MetadataProvider?

    public init(
        level: Logger.Level = .info,
        format: Format? = nil,
        output: BufferedLogOutput = .standardOutput,
        allowsColor: Bool = true,
        burstLimit: LogBurstLimiter.Configuration? = LogBurstLimiter.Configuration(),
        redactor: Redactor = .standard,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.level = level
        self.format = format
        self.output = output
        self.allowsColor = allowsColor
        self.burstLimit = burstLimit
        self.redactor = redactor
        self.metadataProvider = metadataProvider
    }
}

extension LoggingConfiguration {
    /// The environment variable that overrides `level`.
    public static let levelVariable = "STRATUS_LOG_LEVEL"
    /// The environment variable that overrides `format`.
    public static let formatVariable = "STRATUS_LOG_FORMAT"
    /// The environment variable that disables colors when set and not empty
    /// (no-color.org).
    public static let noColorVariable = "NO_COLOR"

    /// Returns this configuration with the environment applied and the format
    /// resolved. `STRATUS_LOG_LEVEL` and `STRATUS_LOG_FORMAT` override `level`
    /// and `format`, because an operator sets them at deploy time to change a
    /// running service's logging without a rebuild. Values are compared
    /// ignoring case, and an empty value counts as unset.
    ///
    /// - Parameter outputIsTerminal: whether the destination is a terminal.
    /// - Returns: the configuration and whether console lines get colors.
    /// - Throws: `LoggingConfigurationError` naming the variable and its value
    ///   when a value is not a level or format name.
    public func resolved(
        environment: [String: String],
        outputIsTerminal: Bool
    ) throws(LoggingConfigurationError) -> (configuration: LoggingConfiguration, useColor: Bool) {
        var resolved = self
        if let text = nonEmpty(environment[Self.levelVariable]) {
            resolved.level = try Self.parseLevel(text, setting: Self.levelVariable)
        }
        if let text = nonEmpty(environment[Self.formatVariable]) {
            resolved.format = try Self.parseFormat(text, setting: Self.formatVariable)
        }
        let format = resolved.format ?? (outputIsTerminal ? .console : .json)
        resolved.format = format
        let colorDisabled = nonEmpty(environment[Self.noColorVariable]) != nil
        let useColor = format == .console && allowsColor && outputIsTerminal && !colorDisabled
        return (resolved, useColor)
    }

    /// Parses a level name (`trace` to `critical`), ignoring case.
    public static func parseLevel(_ text: String, setting: String) throws(LoggingConfigurationError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw LoggingConfigurationError(
                setting: setting, value: text, allowedValues: Logger.Level.allCases.map(\.rawValue)
            )
        }
        return level
    }

    /// Parses a format name (`json` or `console`), ignoring case.
    public static func parseFormat(_ text: String, setting: String) throws(LoggingConfigurationError) -> Format {
        guard let format = Format(rawValue: text.lowercased()) else {
            throw LoggingConfigurationError(setting: setting, value: text, allowedValues: Format.allCases.map(\.rawValue))
        }
        return format
    }
}

private func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
}
