/// Builds a `ConfigNode` tree from YAML events, one event at a time.
///
/// It resolves aliases by copying the anchored node. It rejects a second
/// document, non-scalar or duplicate keys, undefined or recursive aliases
/// and unsupported tags. It also rejects more than `maximumNodeCount` nodes
/// after alias expansion, which stops "billion laughs" documents (whose
/// nested aliases expand exponentially), and nesting deeper than
/// `maximumDepth`.
struct YAMLTreeBuilder {
    static let maximumNodeCount = 100_000
    static let maximumDepth = 200

    /// A sequence or mapping whose end event has not arrived yet.
    private struct Frame {
        var isMapping: Bool
        var location: ConfigLocation
        var anchor: String?
        var id: Int
        var size = 1
        var items: [ConfigNode] = []
        var mapping = ConfigMapping()
        /// In a mapping, the key read before its value.
        var pendingKey: ConfigMapping.Entry?
    }

    let origin: ConfigOrigin
    private(set) var nextID: Int
    /// The root node, once its last event has arrived.
    private(set) var root: ConfigNode?
    private var nodeCount = 0
    private var documentCount = 0
    private var anchors: [String: ConfigNode] = [:]
    private var stack: [Frame] = []

    init(origin: ConfigOrigin, firstID: Int) {
        self.origin = origin
        nextID = firstID
    }

    mutating func handle(_ event: YAMLEvent) throws(ConfigurationError) {
        let location = ConfigLocation(origin: origin, line: event.line, column: event.column)
        switch event.kind {
        case .streamStart, .streamEnd, .documentEnd:
            break
        case .documentStart:
            documentCount += 1
            if documentCount > 1 {
                throw error(at: location, path: .root, "a second YAML document starts here, but a config file contains one document; merge the documents or remove the second")
            }
        case .scalar(let text, let style, let anchor, let tag):
            let scalar = try makeScalar(text: text, style: style, tag: tag, at: location)
            try count(nodes: 1, at: location)
            try add(ConfigNode(content: .scalar(scalar), location: location, id: allocateID(), size: 1), anchor: anchor)
        case .alias(let anchor):
            try addAlias(anchor, at: location)
        case .sequenceStart(let anchor, let tag), .mappingStart(let anchor, let tag):
            let isMapping = if case .mappingStart = event.kind { true } else { false }
            try checkCollectionTag(tag, isMapping: isMapping, at: location)
            try push(isMapping: isMapping, anchor: anchor, at: location)
        case .sequenceEnd, .mappingEnd:
            try pop()
        }
    }

    private mutating func allocateID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    private mutating func count(nodes: Int, at location: ConfigLocation) throws(ConfigurationError) {
        nodeCount += nodes
        if nodeCount > Self.maximumNodeCount {
            throw error(at: location, path: currentPath, "the document has more than \(Self.maximumNodeCount) nodes, more than a config file may have; split it or shorten it")
        }
    }

    private mutating func push(isMapping: Bool, anchor: String?, at location: ConfigLocation) throws(ConfigurationError) {
        guard stack.count < Self.maximumDepth else {
            throw error(at: location, path: .root, "the document nests deeper than \(Self.maximumDepth) levels; flatten it")
        }
        try count(nodes: 1, at: location)
        stack.append(Frame(isMapping: isMapping, location: location, anchor: anchor, id: allocateID()))
    }

    private mutating func pop() throws(ConfigurationError) {
        let frame = stack.removeLast()
        let content: ConfigNode.Content = frame.isMapping ? .mapping(frame.mapping) : .sequence(frame.items)
        try add(ConfigNode(content: content, location: frame.location, id: frame.id, size: frame.size), anchor: frame.anchor)
    }

    private mutating func addAlias(_ anchor: String, at location: ConfigLocation) throws(ConfigurationError) {
        guard let node = anchors[anchor] else {
            if stack.contains(where: { $0.anchor == anchor }) {
                throw error(at: location, path: currentPath, "alias *\(anchor) refers to a node that contains it; a configuration cannot be recursive")
            }
            throw error(at: location, path: currentPath, "alias *\(anchor) refers to no anchor; define &\(anchor) before the alias")
        }
        nodeCount += node.size
        if nodeCount > Self.maximumNodeCount {
            throw error(at: location, path: currentPath, "alias *\(anchor) expands the document to more than \(Self.maximumNodeCount) nodes, as aliases nested in aliases do in a \"billion laughs\" document; use fewer nested aliases")
        }
        try add(node, anchor: nil)
    }

    /// Registers the anchor and puts the finished node into its parent, as
    /// the root when there is no parent.
    private mutating func add(_ node: ConfigNode, anchor: String?) throws(ConfigurationError) {
        if let anchor {
            anchors[anchor] = node
        }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].size += node.size
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return
        }
        guard let key = stack[top].pendingKey else {
            stack[top].pendingKey = try makeKey(node)
            return
        }
        stack[top].pendingKey = nil
        if let first = stack[top].mapping.append(ConfigMapping.Entry(key: key.key, keyLocation: key.keyLocation, id: key.id, value: node)) {
            let path = currentPath.appending(key: key.key)
            throw error(at: key.keyLocation, path: path, "duplicate key \"\(key.key)\", first defined on line \(first.keyLocation.line); remove one of them")
        }
    }

    private func makeKey(_ node: ConfigNode) throws(ConfigurationError) -> ConfigMapping.Entry {
        guard let scalar = node.scalar else {
            throw error(at: node.location, path: currentPath, "a mapping key is a sequence or mapping, but configuration keys are scalars")
        }
        // The placeholder value is replaced when the key's value arrives.
        return ConfigMapping.Entry(key: scalar.text, keyLocation: node.location, id: node.id, value: node)
    }

    /// The path of the node being built, from the keys and indexes on the
    /// stack.
    var currentPath: ConfigKeyPath {
        var path = ConfigKeyPath.root
        for frame in stack {
            if frame.isMapping {
                if let key = frame.pendingKey {
                    path = path.appending(key: key.key)
                }
            } else {
                path = path.appending(.index(frame.items.count))
            }
        }
        return path
    }

    func error(at location: ConfigLocation, path: ConfigKeyPath, _ message: String) -> ConfigurationError {
        let subject = path.components.isEmpty ? "" : "\(path): "
        return ConfigurationError(.invalidYAML, keyPath: path.components.isEmpty ? nil : path.description, "\(location.messagePrefix)\(subject)\(message)", location: location)
    }
}
