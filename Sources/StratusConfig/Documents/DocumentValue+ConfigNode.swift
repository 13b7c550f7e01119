extension DocumentValue {
    /// Returns the value as a configuration tree, for decoding a JSON release with
    /// the configuration decoder: strings become quoted scalars (always
    /// strings), other scalars plain ones that the YAML core schema
    /// resolves as JSON does.
    func configNode(origin: ConfigOrigin, nextID: inout Int) -> ConfigNode {
        let location = ConfigLocation(origin: origin, line: line, column: column)
        let id = nextID
        nextID += 1
        switch content {
        case .null:
            return ConfigNode(content: .scalar(ConfigScalar(text: "null", style: .plain)), location: location, id: id, size: 1)
        case .bool(let value):
            return ConfigNode(content: .scalar(ConfigScalar(text: value ? "true" : "false", style: .plain)), location: location, id: id, size: 1)
        case .integer(let value):
            return ConfigNode(content: .scalar(ConfigScalar(text: "\(value)", style: .plain)), location: location, id: id, size: 1)
        case .number(let value):
            return ConfigNode(content: .scalar(ConfigScalar(text: "\(value)", style: .plain)), location: location, id: id, size: 1)
        case .string(let text):
            return ConfigNode(content: .scalar(ConfigScalar(text: text, style: .quoted)), location: location, id: id, size: 1)
        case .array(let elements):
            let nodes = elements.map { $0.configNode(origin: origin, nextID: &nextID) }
            return ConfigNode(content: .sequence(nodes), location: location, id: id, size: 1 + nodes.reduce(0) { $0 + $1.size })
        case .object(let members):
            var mapping = ConfigMapping()
            var size = 1
            for member in members {
                let keyID = nextID
                nextID += 1
                let value = member.value.configNode(origin: origin, nextID: &nextID)
                size += value.size
                let keyLocation = ConfigLocation(origin: origin, line: member.line, column: member.column)
                _ = mapping.append(ConfigMapping.Entry(key: member.key, keyLocation: keyLocation, id: keyID, value: value))
            }
            return ConfigNode(content: .mapping(mapping), location: location, id: id, size: size)
        }
    }
}
