/// The configuration flags of a service's command line: `--config FILE`
/// and any number of `--set KEY=VALUE`.
///
/// `parse` takes the arguments without the program name and leaves every
/// other argument, in order, in `remaining` for the service's own parser.
/// Both flags may also be written `--config=FILE` and `--set=KEY=VALUE`.
/// Parsing stops at `--`, which stays in `remaining` with what follows.
public struct CommandLineConfiguration: Sendable, Equatable {
    /// The config file from `--config`, nil when not given.
    public var file: String?
    /// The `KEY=VALUE` strings of the `--set` flags, in order.
    public var overrides: [String]
    /// The arguments that are not configuration flags.
    public var remaining: [String]

    public init(file: String? = nil, overrides: [String] = [], remaining: [String] = []) {
        self.file = file
        self.overrides = overrides
        self.remaining = remaining
    }

    /// - Throws: `ConfigurationError.Code.invalidCommandLine` when a flag
    ///   has no value, `--config` is given twice, or a `--set` value is not
    ///   `KEY=VALUE` with a valid key path.
    public static func parse(_ arguments: [String]) throws(ConfigurationError) -> CommandLineConfiguration {
        var result = CommandLineConfiguration()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument != "--" else {
                result.remaining += [argument] + rest
                break
            }
            guard let (flag, inlineValue) = configurationFlag(argument) else {
                result.remaining.append(argument)
                continue
            }
            guard let value = inlineValue ?? rest.popFirst() else {
                throw usageError("\(flag) needs a value: \(flag == "--config" ? "--config FILE" : "--set KEY=VALUE, such as --set server.port=8080")")
            }
            if flag == "--config" {
                try result.setFile(value)
            } else {
                try result.addOverride(value)
            }
        }
        return result
    }

    /// Splits `--config`, `--config=FILE`, `--set` and `--set=KEY=VALUE`
    /// into the flag and its inline value; nil for any other argument.
    private static func configurationFlag(_ argument: String) -> (flag: String, value: String?)? {
        for flag in ["--config", "--set"] {
            if argument == flag {
                return (flag, nil)
            }
            if argument.hasPrefix(flag + "=") {
                return (flag, String(argument.dropFirst(flag.count + 1)))
            }
        }
        return nil
    }

    private mutating func setFile(_ value: String) throws(ConfigurationError) {
        if let file {
            throw Self.usageError("--config is given twice (\(file) and \(value)); give one config file")
        }
        guard !value.isEmpty else {
            throw Self.usageError("--config needs a file name, found an empty value")
        }
        file = value
    }

    private mutating func addOverride(_ value: String) throws(ConfigurationError) {
        do {
            _ = try FlagOverride.split(value)
        } catch {
            throw Self.usageError("invalid --set \(value): \(error.reason)")
        }
        overrides.append(value)
    }

    private static func usageError(_ message: String) -> ConfigurationError {
        ConfigurationError(.invalidCommandLine, message)
    }
}
