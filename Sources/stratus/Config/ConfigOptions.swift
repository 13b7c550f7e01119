import Foundation
import StratusConfig

/// The flags and arguments of one `stratus config` command line.
struct ConfigOptions {
    static let valueFlags: Set<String> = [
        "--controlplane", "--app", "--env", "--namespace", "--author", "--comment", "--file", "--output", "--format",
        "--schema", "--to", "--from", "--release", "--labels", "--instances", "--limit",
    ]
    static let switches: Set<String> = ["--secret", "--remove"]

    var values: [String: String] = [:]
    var switchesSet: Set<String> = []
    var positional: [String] = []

    /// Splits `arguments` into flags with values, switches and positional
    /// arguments. Flags may be written `--flag value` or `--flag=value`.
    ///
    /// - Throws: `UsageError` for an unknown flag, a flag without its
    ///   value, or a flag given twice.
    init(parsing arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else {
                positional.append(argument)
                continue
            }
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0]
            if Self.switches.contains(name) && parts.count == 1 {
                switchesSet.insert(name)
                continue
            }
            guard Self.valueFlags.contains(name) else {
                throw UsageError("unknown option \(name)")
            }
            guard let value = parts.count == 2 ? parts[1] : rest.popFirst() else {
                throw UsageError("missing value for \(name)")
            }
            guard values.updateValue(value, forKey: name) == nil else {
                throw UsageError("\(name) is given twice; give it once")
            }
        }
    }

    func value(_ flag: String) -> String? { values[flag] }

    func has(_ flag: String) -> Bool { switchesSet.contains(flag) }

    /// The value of a flag that must be given.
    func required(_ flag: String, _ example: String) throws(UsageError) -> String {
        guard let value = values[flag], !value.isEmpty else {
            throw UsageError("missing \(flag); give it, such as \(flag) \(example)")
        }
        return value
    }

    /// Returns the namespace the command is about: `--app` (required), `--env`
    /// (default dev) and `--namespace` (default application).
    func coordinates() throws(UsageError) -> NamespaceCoordinates {
        let namespace = NamespaceCoordinates(
            application: try required("--app", "iam-apiserver"),
            environment: value("--env") ?? "dev",
            namespace: value("--namespace") ?? "application"
        )
        do {
            try namespace.validate()
        } catch {
            throw UsageError(error.message)
        }
        return namespace
    }

    /// `--author`, or the USER environment variable.
    func author() throws(UsageError) -> String {
        if let author = values["--author"] { return author }
        guard let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty else {
            throw UsageError("missing --author and the USER variable is unset; give --author NAME for the audit log")
        }
        return user
    }

    /// Returns whether `--output json` was given; `table` (the default) prints text.
    func wantsJSON() throws(UsageError) -> Bool {
        switch values["--output"] ?? "table" {
        case "json": return true
        case "table": return false
        case let other: throw UsageError("invalid --output \(other); expected json or table")
        }
    }

    /// Returns a positive whole number from a flag, or nil when absent.
    func number(_ flag: String) throws(UsageError) -> Int? {
        guard let text = values[flag] else { return nil }
        guard let number = Int(text), number >= 1 else {
            throw UsageError("invalid \(flag) \(text); expected a whole number from 1")
        }
        return number
    }

    /// Reads the file of `--file` or `--schema`.
    func fileContents(_ flag: String) throws(UsageError) -> String? {
        guard let path = values[flag] else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw UsageError("cannot read \(flag) \(path): \(error.localizedDescription)")
        }
    }

    /// Rejects positional arguments beyond `count`.
    func expectPositional(_ count: Int, usage: String) throws(UsageError) {
        guard positional.count <= count else {
            throw UsageError("unexpected argument \(positional[count]); usage: \(usage)")
        }
    }
}
