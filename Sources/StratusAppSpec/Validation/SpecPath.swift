/// Builds the key paths that problems name, in the configuration loader's
/// syntax: `services[1].autoscale.min`.
struct SpecPath: Sendable, Hashable, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }

    func key(_ key: String) -> SpecPath {
        SpecPath(description.isEmpty ? key : "\(description).\(key)")
    }

    func index(_ index: Int) -> SpecPath {
        SpecPath("\(description)[\(index)]")
    }

    /// The path one component up, nil at the top.
    var parent: SpecPath? {
        guard let cut = description.lastIndex(where: { $0 == "." || $0 == "[" }) else {
            return description.isEmpty ? nil : SpecPath("")
        }
        return SpecPath(String(description[..<cut]))
    }
}

/// Problems found by validation, each with the path of its field.
struct ProblemList {
    private(set) var problems: [SpecProblem] = []

    mutating func add(_ path: SpecPath, _ message: String) {
        problems.append(SpecProblem(field: path.description.isEmpty ? nil : path.description, message))
    }

    /// Adds `message` at `path` unless `condition` holds.
    mutating func require(_ condition: Bool, _ path: SpecPath, _ message: @autoclosure () -> String) {
        if !condition {
            add(path, message())
        }
    }
}
