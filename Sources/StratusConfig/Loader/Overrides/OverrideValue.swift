/// The value of an environment variable or a `--set` flag: its text as a
/// scalar, and, when the text starts with `[` or `{`, the text parsed as a
/// YAML flow sequence or mapping.
///
/// The decoder picks one by the type it reads: a string takes the text as
/// written, a sequence or mapping takes the parsed value and only then
/// reports a YAML syntax error in it.
struct OverrideValue: Sendable {
    let origin: ConfigOrigin
    let scalar: ConfigNode
    let flow: Result<ConfigNode, ConfigurationError>?

    /// - Parameter nextID: The first node id to use; advanced past the ids
    ///   used.
    init(text: String, origin: ConfigOrigin, line: Int = 1, nextID: inout Int) {
        self.origin = origin
        let start = ConfigLocation(origin: origin, line: line, column: 1)
        scalar = ConfigNode(content: .scalar(ConfigScalar(text: text, style: .override)), location: start, id: nextID, size: 1)
        nextID += 1
        let first = text.first { $0 != " " }
        guard first == "[" || first == "{" else {
            flow = nil
            return
        }
        do {
            let parsed = try YAMLDocumentParser.parse(Array(text.utf8), origin: origin, firstID: nextID)
            nextID = parsed.nextID
            flow = .success(parsed.root)
        } catch {
            flow = .failure(error)
        }
    }
}
