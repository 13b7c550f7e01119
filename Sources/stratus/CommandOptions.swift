import Foundation

/// The options and arguments of one `stratus` command, parsed against the
/// options it declares.
///
/// `--help` prints the command's usage and exits 0. An unknown option, an
/// option without its value or a wrong number of arguments prints one line
/// that names the problem and how to see the usage, and exits 2.
struct CommandOptions {
    /// An option the command accepts.
    struct Option {
        /// Names such as `["-f", "--file"]`.
        var names: [String]
        /// Whether the option takes a value.
        var takesValue = true
    }

    let command: String
    private var values: [String: [String]] = [:]
    private(set) var arguments: [String] = []

    /// Parses `arguments` for `command` (such as `stratus scale`), which
    /// takes `options` and the positional arguments `argumentNames` (such
    /// as `SERVICE`), each required.
    init(_ arguments: [String], command: String, usage: String, options: [Option], argumentNames: [String] = []) {
        self.command = command
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--help" || argument == "-h" {
                print(usage)
                exit(0)
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                self.arguments.append(argument)
                continue
            }
            let (name, inline) = Self.split(argument)
            guard let option = options.first(where: { $0.names.contains(name) }) else {
                usageFailure("unknown option \(name)")
            }
            let key = option.names.last!
            guard option.takesValue else {
                values[key, default: []].append("")
                continue
            }
            guard let value = inline ?? remaining.popFirst() else {
                usageFailure("\(name) needs a value")
            }
            values[key, default: []].append(value)
        }
        if self.arguments.count < argumentNames.count {
            usageFailure("missing \(argumentNames[self.arguments.count])")
        }
        if self.arguments.count > argumentNames.count {
            usageFailure("unexpected argument \(self.arguments[argumentNames.count])")
        }
    }

    /// Splits `--name=value`.
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// Returns the last value of the option whose long name is `name`.
    func value(_ name: String) -> String? {
        values[name]?.last
    }

    /// Returns every value of a repeatable option.
    func all(_ name: String) -> [String] {
        values[name] ?? []
    }

    func flag(_ name: String) -> Bool {
        values[name] != nil
    }

    /// Prints a one-line usage error and exits 2.
    func usageFailure(_ problem: String) -> Never {
        fail("\(command): \(problem); run `\(command) --help` for usage")
    }

    /// Parses a duration option such as `500ms`, `10s` or `5m`.
    func duration(_ name: String) -> Duration? {
        guard let text = value(name) else { return nil }
        guard let duration = Self.parseDuration(text) else {
            usageFailure("invalid \(name) \(text): expected a duration such as 500ms, 10s, 5m or 1h")
        }
        return duration
    }

    static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (unit, seconds) in units where text.hasSuffix(unit) {
            guard let number = Double(text.dropLast(unit.count)), number >= 0, number.isFinite else { return nil }
            return .milliseconds(Int64((number * seconds * 1000).rounded()))
        }
        return nil
    }
}
