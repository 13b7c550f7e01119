/// The source position of a configuration value: a file line and column
/// (1-based), an environment variable or a command-line flag.
struct ConfigLocation: Sendable, Hashable {
    var origin: ConfigOrigin
    var line: Int
    var column: Int

    /// The start of an error message, such as `config.yaml:12:9: `,
    /// `environment variable APP_SERVER_PORT: ` or, inside a YAML flow
    /// value, `environment variable APP_PEERS, column 5: `; empty when
    /// there is no source to name.
    var messagePrefix: String {
        switch origin {
        case .file(let name):
            return "\(name):\(line):\(column): "
        case .release(let name):
            return line == 0 ? "\(name): " : "\(name), line \(line), column \(column): "
        case .environment, .flag:
            if line == 1 && column == 1 {
                return "\(origin.name): "
            }
            return line == 1 ? "\(origin.name), column \(column): " : "\(origin.name), line \(line), column \(column): "
        case .none:
            return ""
        }
    }
}

/// The source a configuration value came from, in rising precedence.
enum ConfigOrigin: Sendable, Hashable {
    /// No file was given: the value is a default of the decoded type.
    case none
    case file(String)
    /// An environment variable, by name.
    case environment(String)
    /// A `--set` flag, by its `KEY=VALUE` argument.
    case flag(String)
    /// A config-center release, by a name such as
    /// `iam-apiserver/dev/application release 3`. Its key-value items have
    /// line 0; a document's values have their line and column.
    case release(String)

    /// The source as an error message names it.
    var name: String {
        switch self {
        case .none: return "defaults"
        case .file(let name): return name
        case .environment(let variable): return "environment variable \(variable)"
        case .flag(let argument): return "flag --set \(argument)"
        case .release(let name): return name
        }
    }
}
