/// Parses YAML text into one `ConfigNode` tree.
enum YAMLDocumentParser {
    /// Parses `bytes` as a single YAML document.
    ///
    /// Text without a document (empty, or only comments) and a document
    /// that is only null (`---` alone, `~`) give an empty mapping, so an
    /// empty config file sets nothing.
    /// - Parameter firstID: The id of the first node; the result's `nextID`
    ///   is one past the last id used.
    /// - Throws: `ConfigurationError.Code.invalidYAML`.
    static func parse(_ bytes: [UInt8], origin: ConfigOrigin, firstID: Int) throws(ConfigurationError) -> (root: ConfigNode, nextID: Int) {
        var builder = YAMLTreeBuilder(origin: origin, firstID: firstID)
        try YAMLEventReader.read(bytes, origin: origin) { (event) throws(ConfigurationError) in
            try builder.handle(event)
        }
        let start = ConfigLocation(origin: origin, line: 1, column: 1)
        guard let root = builder.root else {
            return (.emptyMapping(at: start), builder.nextID)
        }
        if let scalar = root.scalar, scalar.style == .plain, scalar.tag == nil || scalar.tag == .null, CoreSchema.isNull(scalar.text) {
            return (.emptyMapping(at: root.location), builder.nextID)
        }
        return (root, builder.nextID)
    }
}
