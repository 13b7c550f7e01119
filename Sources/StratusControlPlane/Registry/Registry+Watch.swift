public import StratusDiscovery
import StratusStore

extension Registry {
    /// Streams the changes to one service, or to all services when
    /// `service` is nil, from `revision` (nil: from now).
    ///
    /// When the store's history no longer reaches the revision the watch
    /// needs, the stream sends a `resync` event with every instance in
    /// scope and goes on from there, so a watcher never has to restart.
    /// The stream ends with an error when the store fails, and when the
    /// consuming task is cancelled.
    public func watch(service: String?, from revision: Int64?) throws(RegistryError) -> AsyncThrowingStream<RegistryEvent, any Error> {
        if let service {
            do {
                try ServiceInstance.validateServiceName(service)
            } catch {
                throw .invalid(error)
            }
        }
        if let revision, revision < 1 {
            throw .invalid(ValidationError(field: "revision", value: "\(revision)", expected: "a positive revision"))
        }
        let prefix = service.map(RegistryKeys.service) ?? RegistryKeys.root
        let store = store
        // Started here rather than in the task, so that "from now" means
        // the call and a change made right after it is not missed.
        let first = store.watch(prefix: prefix, from: revision)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await Self.pump(store: store, prefix: prefix, first: first, into: continuation)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private static func pump(
        store: any KeyValueStore,
        prefix: String,
        first: WatchStream,
        into continuation: AsyncThrowingStream<RegistryEvent, any Error>.Continuation
    ) async throws {
        var watch = first
        while !Task.isCancelled {
            do {
                for try await event in watch {
                    if let converted = convert(event) {
                        continuation.yield(converted)
                    }
                }
                return
            } catch let error as StoreError where error.code == .compacted {
                let listing = try await store.range(RangeRequest(.prefix(prefix)))
                continuation.yield(RegistryEvent(type: .resync, revision: listing.revision, instances: listing.keyValues.compactMap(decode)))
                watch = store.watch(prefix: prefix, from: listing.revision + 1)
            }
        }
    }

    static func convert(_ event: WatchEvent) -> RegistryEvent? {
        guard let (service, id) = RegistryKeys.parse(event.keyValue.key) else { return nil }
        switch event.kind {
        case .put:
            guard let instance = decode(event.keyValue) else { return nil }
            return RegistryEvent(type: .put, revision: event.revision, service: service, id: id, instance: instance)
        case .delete:
            return RegistryEvent(type: .delete, revision: event.revision, service: service, id: id)
        }
    }
}
