import StratusConfig

extension ConfigCommand {
    static func get(options: ConfigOptions, client: ConfigCenterClient) async throws -> String {
        try options.expectPositional(1, usage: "stratus config get [KEY] [--release N]")
        let namespace = try options.coordinates()
        let key = options.positional.first
        if let number = try options.number("--release") {
            let release = try await client.release(namespace, number: number)
            guard let key else { return try render(release, options) }
            return try value(of: key, in: release.content, from: "release \(number) of \(namespace)", options: options)
        }
        let draft = try await client.draft(namespace)
        guard let key else {
            let info = try await client.info(namespace)
            return try options.wantsJSON() ? try render(draft, options) : ConfigTables.namespace(info, draft: draft)
        }
        return try value(of: key, in: draft.content, from: "the draft of \(namespace)", options: options)
    }

    private static func value(of key: String, in content: ConfigContent, from place: String, options: ConfigOptions) throws -> String {
        guard content.format == .keyValue else {
            throw UsageError("\(place) is a \(content.format.rawValue) document, not items; run `stratus config get` without KEY to see it")
        }
        guard let item = content.item(key) else {
            throw UsageError("\(place) has no key \(key); run `stratus config get` to list the keys")
        }
        return try options.wantsJSON() ? try render(item, options) : item.value
    }

    static func set(options: ConfigOptions, client: ConfigCenterClient, author: String) async throws -> String {
        let namespace = try options.coordinates()
        if let document = try options.fileContents("--file") {
            try options.expectPositional(0, usage: "stratus config set --file FILE")
            if options.has("--secret") {
                throw UsageError("--secret applies to key-value items, not documents; set secret values as items of a key-value namespace")
            }
            return try render(try await client.setDocument(namespace, SetDocumentRequest(document: document, author: author)), options)
        }
        try options.expectPositional(2, usage: "stratus config set KEY VALUE [--secret]")
        guard options.positional.count == 2 else {
            throw UsageError("expected KEY VALUE, such as `stratus config set feature.newCheckout true`, or --file FILE for a document")
        }
        let request = SetItemRequest(value: options.positional[1], secret: options.has("--secret"), author: author)
        return try render(try await client.setItem(namespace, key: options.positional[0], request), options)
    }

    static func schema(options: ConfigOptions, client: ConfigCenterClient, author: String) async throws -> String {
        try options.expectPositional(0, usage: "stratus config schema --file FILE | --remove")
        let text = try options.fileContents("--file")
        guard (text == nil) == options.has("--remove") else {
            throw UsageError("give either --file FILE with a JSON Schema or --remove")
        }
        return try render(try await client.setSchema(try options.coordinates(), SetSchemaRequest(schema: text, author: author)), options)
    }

    static func gray(options: ConfigOptions, client: ConfigCenterClient, author: String) async throws -> String {
        let usage = "stratus config gray start|promote|abandon"
        try options.expectPositional(1, usage: usage)
        let namespace = try options.coordinates()
        let decision = GrayDecisionRequest(author: author, comment: options.value("--comment") ?? "")
        switch options.positional.first {
        case "start":
            let labels: [String: String]
            do {
                labels = try GraySelector.parse(labels: options.value("--labels") ?? "")
            } catch {
                throw UsageError("invalid --labels: \(error.message)")
            }
            let instances = (options.value("--instances") ?? "").split(separator: ",").map(String.init)
            guard !labels.isEmpty || !instances.isEmpty else {
                throw UsageError("gray start needs --labels K=V,... or --instances ID,... to pick the instances")
            }
            let request = GrayStartRequest(selector: GraySelector(labels: labels, instances: instances), author: author, comment: decision.comment)
            return try render(try await client.startGray(namespace, request), options)
        case "promote":
            return try render(try await client.promoteGray(namespace, decision), options)
        case "abandon":
            return try render(try await client.abandonGray(namespace, decision), options)
        case let other:
            throw UsageError(other.map { "unknown gray command \($0); usage: \(usage)" } ?? "missing the gray command; usage: \(usage)")
        }
    }
}
