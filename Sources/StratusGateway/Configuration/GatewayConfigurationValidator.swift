/// Checks the references between sections of a decoded configuration:
/// unique names, known upstreams, plugins and credential owners, and
/// routes that could never be told apart.
struct GatewayConfigurationValidator {
    typealias Problem = GatewayConfigurationError.Problem

    let configuration: GatewayConfiguration
    let plugins: GatewayPluginRegistry

    func problems() -> [Problem] {
        var problems: [Problem] = []
        problems += duplicates(configuration.routes.map(\.name), section: "routes", what: "route")
        problems += duplicates(configuration.upstreams.map(\.name), section: "upstreams", what: "upstream")
        problems += duplicates(configuration.consumers.map(\.name), section: "consumers", what: "consumer")
        problems += routeProblems()
        problems += upstreamProblems()
        problems += consumerProblems()
        if !configuration.settings.consumerHeader.isEmpty, !HeaderRewrite.isToken(configuration.settings.consumerHeader) {
            problems.append(Problem(keyPath: "settings.consumerHeader", message: "settings.consumerHeader: invalid header name \"\(configuration.settings.consumerHeader)\": expected a token such as X-Consumer"))
        }
        return problems
    }

    private func duplicates(_ names: [String], section: String, what: String) -> [Problem] {
        var seen: [String: Int] = [:]
        var problems: [Problem] = []
        for (index, name) in names.enumerated() {
            if let first = seen[name] {
                problems.append(Problem(keyPath: "\(section)[\(index)].name", message: "\(section)[\(index)].name: duplicate \(what) name \"\(name)\"; \(section)[\(first)] has it too"))
            } else {
                seen[name] = index
            }
        }
        return problems
    }

    private func routeProblems() -> [Problem] {
        let upstreams = Set(configuration.upstreams.map(\.name))
        let known = plugins.names
        var problems: [Problem] = []
        var seenMatches: [String: String] = [:]
        for (index, route) in configuration.routes.enumerated() {
            let path = "routes[\(index)]"
            if !upstreams.contains(route.upstream) {
                let list = upstreams.isEmpty ? "no upstreams are defined" : "expected one of: \(upstreams.sorted().joined(separator: ", "))"
                problems.append(Problem(keyPath: "\(path).upstream", message: "route \"\(route.name)\": upstream: unknown upstream \"\(route.upstream)\"; \(list)"))
            }
            for name in route.pluginNames where !plugins.contains(name) {
                let list = known.isEmpty ? "no plugins are registered in this gateway" : "registered plugins: \(known.joined(separator: ", "))"
                problems.append(Problem(keyPath: "\(path).plugins.\(name)", message: "route \"\(route.name)\": plugins: unknown plugin \"\(name)\"; \(list)"))
            }
            let signature = "\(route.match)|\(route.priority)"
            if let other = seenMatches[signature] {
                problems.append(Problem(keyPath: "\(path).match", message: "route \"\(route.name)\": match: matches exactly the requests of route \"\(other)\" with the same priority, so it would never be used; change its match or priority"))
            } else {
                seenMatches[signature] = route.name
            }
        }
        return problems
    }

    private func upstreamProblems() -> [Problem] {
        var problems: [Problem] = []
        for (index, upstream) in configuration.upstreams.enumerated() where upstream.service != nil && configuration.settings.controlPlane.isEmpty {
            problems.append(Problem(keyPath: "upstreams[\(index)].service", message: "upstream \"\(upstream.name)\": service: \"\(upstream.service!)\" needs discovery, but settings.controlPlane lists no control plane; add its URL, such as http://127.0.0.1:7700"))
        }
        for (index, url) in configuration.settings.controlPlane.enumerated() where !Self.isControlPlaneURL(url) {
            problems.append(Problem(keyPath: "settings.controlPlane[\(index)]", message: "settings.controlPlane[\(index)]: invalid URL \"\(url)\": expected http://HOST:PORT, such as http://127.0.0.1:7700"))
        }
        return problems
    }

    private func consumerProblems() -> [Problem] {
        var problems: [Problem] = []
        for (index, consumer) in configuration.consumers.enumerated() {
            for name in consumer.credentialPlugins where !plugins.acceptsCredentials(name) {
                let path = "consumers[\(index)].credentials.\(name)"
                if plugins.contains(name) {
                    problems.append(Problem(keyPath: path, message: "consumer \"\(consumer.name)\": credentials: plugin \"\(name)\" takes no consumer credentials"))
                } else {
                    problems.append(Problem(keyPath: path, message: "consumer \"\(consumer.name)\": credentials: unknown plugin \"\(name)\"; registered plugins: \(plugins.names.joined(separator: ", "))"))
                }
            }
        }
        return problems
    }

    static func isControlPlaneURL(_ url: String) -> Bool {
        guard url.hasPrefix("http://") else { return false }
        let rest = url.dropFirst("http://".count).prefix { $0 != "/" }
        guard let colon = rest.lastIndex(of: ":"), colon != rest.startIndex, let port = Int(rest[rest.index(after: colon)...]) else { return false }
        return (1...65_535).contains(port)
    }
}
