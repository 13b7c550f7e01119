import StratusDiscovery
import StratusLog

extension HealthChecker {
    /// Lists every instance, then applies the watch's changes from the
    /// listing's revision on. Returns only when cancelled.
    func follow(into table: ProbeTable) async throws {
        let listing = try await registry.allInstances()
        replaceAll(with: listing.instances, revision: listing.revision, in: table)
        for try await event in try registry.watch(service: nil, from: listing.revision + 1) {
            apply(event, to: table)
        }
        guard Task.isCancelled else {
            throw RegistryError(.unavailable, "the registry watch ended without an error")
        }
    }

    /// Applies one registry change to the probed set.
    func apply(_ event: RegistryEvent, to table: ProbeTable) {
        switch event.type {
        case .put:
            if let instance = event.instance {
                track(instance, in: table)
            }
        case .delete:
            if let service = event.service, let id = event.id {
                table.remove(ProbeTable.Key(service: service, id: id))
            }
        case .resync:
            logger.info("registry watch resynced", metadata: ["store.revision": .stringConvertible(event.revision)])
            replaceAll(with: event.instances ?? [], revision: event.revision, in: table)
        }
        watermark.advance(to: event.revision)
    }

    /// Makes the probed set match a full listing.
    func replaceAll(with instances: [ServiceInstance], revision: Int64, in table: ProbeTable) {
        table.removeAll(except: Set(instances.map(ProbeTable.Key.init)))
        for instance in instances {
            track(instance, in: table)
        }
        watermark.advance(to: revision)
    }

    /// Probes the instance when it declares a check that can be probed, and
    /// stops probing it otherwise.
    private func track(_ instance: ServiceInstance, in table: ProbeTable) {
        let key = ProbeTable.Key(instance)
        guard let check = instance.healthCheck else {
            table.remove(key)
            return
        }
        guard instance.scheme == "http" else {
            if table.skip(key) {
                logger.warning("health check skipped: https probes are not supported", metadata: [
                    "service.name": .string(instance.service),
                    "instance.id": .string(instance.id),
                    "upstream.endpoint": .string(instance.endpoint),
                ])
            }
            return
        }
        table.upsert(instance, check: check)
    }
}
