import StratusAppSpec

/// A service's environment divided between its ConfigMap and references
/// to Secrets.
///
/// A value written `secret:NAME/KEY` becomes a `secretKeyRef` to key KEY of
/// the Secret NAME, which the operator creates; the value itself is never
/// rendered. A variable whose name says it holds a secret (PASSWORD, SECRET,
/// TOKEN, API_KEY, PRIVATE_KEY, CREDENTIAL) must use that form, because a
/// literal value would be written into a ConfigMap.
struct EnvironmentSplit {
    static let secretPrefix = "secret:"
    static let secretWords = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL"]

    var plain: [String: String] = [:]
    var secretReferences: [(variable: String, secret: String, key: String)] = []
    var problems: [String] = []

    init(service: String, index: Int, environment: [String: String]) {
        for name in environment.keys.sorted() {
            let value = environment[name]!
            let field = "services[\(index)].environment.\(name)"
            if value.hasPrefix(Self.secretPrefix) {
                let reference = value.dropFirst(Self.secretPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
                guard reference.count == 2, !reference[0].isEmpty, !reference[1].isEmpty else {
                    problems.append("\(field): invalid secret reference \"\(value)\"; expected secret:NAME/KEY, such as secret:\(service)-db/password")
                    continue
                }
                secretReferences.append((name, String(reference[0]), String(reference[1])))
            } else if Self.looksSecret(name) && !value.isEmpty {
                problems.append(
                    "\(field): a secret value would be written into a ConfigMap; create a Kubernetes Secret and write secret:NAME/KEY instead"
                )
            } else {
                plain[name] = value
            }
        }
    }

    static func looksSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return secretWords.contains { upper.contains($0) }
    }
}
