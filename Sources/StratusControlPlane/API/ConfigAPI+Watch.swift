import StratusConfig
import StratusDiscovery
import StratusHTTP

extension ConfigAPI {
    /// The maximum number of namespaces one watch stream follows.
    static let maximumWatchedNamespaces = 32

    /// Streams `ConfigWatchEvent`s as JSON lines: first the release the
    /// instance sees in each namespace, then each change of it, until the
    /// client disconnects or the control plane stops.
    ///
    /// Query: `namespaces` (comma-separated), `instance` (the instance id)
    /// and `labels` (`key=value,...`), which pick a gray release.
    func watch(_ request: Request, application: String, environment: String) async throws -> Response {
        let names = try Self.namespaceNames(request)
        let coordinates = names.map { NamespaceCoordinates(application: application, environment: environment, namespace: $0) }
        for namespace in coordinates {
            try namespace.validate()
        }
        let instance = try Self.required("instance", in: request)
        do {
            try ServiceInstance.validateInstanceID(instance)
        } catch {
            throw ConfigCenterError(.invalidArgument, "invalid instance id in the config watch: \(error)")
        }
        let labels = try GraySelector.parse(labels: request.queryParameter("labels") ?? "")
        guard let subscription = hub.subscribe(application: application, environment: environment) else {
            throw ConfigCenterError(.unavailable, "this control plane does not follow the config heads yet or is shutting down; watch again or watch another replica")
        }
        var watcher = InstanceWatcher(center: center, coordinates: coordinates, instance: instance, labels: labels)
        let first: [InstanceWatcher.Line]
        do {
            first = try await watcher.initialEvents()
        } catch {
            hub.unsubscribe(subscription.id)
            throw error
        }
        let events = watcher.events(first: first, changes: subscription.changes) { [hub] in hub.unsubscribe(subscription.id) }
        let streams = streams
        let body = OutgoingBody { writer in
            try await JSONLineStream.write(events, to: writer, streams: streams) { line in
                line.bytes
            } overflowMessage: {
                "the config watch fell more than \(JSONLineStream.bufferLimit) events behind; watch again"
            }
        }
        return Response(status: .ok, headers: ["Content-Type": "application/x-ndjson"], body: body)
    }

    private static func namespaceNames(_ request: Request) throws(ConfigCenterError) -> [String] {
        let text = try required("namespaces", in: request)
        var names: [String] = []
        for name in text.split(separator: ",").map(String.init) where !names.contains(name) {
            names.append(name)
        }
        guard (1...maximumWatchedNamespaces).contains(names.count) else {
            throw ConfigCenterError(.invalidArgument, "the config watch names \(names.count) namespaces; expected 1 to \(maximumWatchedNamespaces), comma-separated")
        }
        return names
    }
}
