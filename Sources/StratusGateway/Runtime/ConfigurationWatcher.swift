import Foundation
import StratusLog
import StratusStore

/// Keeps a gateway's configuration in step with its source: a file, read
/// again every `interval`, or a key of the control plane's store, watched.
/// A changed text is applied; an invalid one is logged and counted, and
/// the running configuration stays.
public enum GatewayConfigurationSource: Sendable, CustomStringConvertible {
    case file(path: String)
    /// `key` in the store that `controlPlane` (`http://host:port`) serves.
    case store(controlPlane: String, key: String)

    /// The store key `stratus gateway --config-store` reads by default.
    public static let defaultStoreKey = "/stratus/gateway/config"

    public var description: String {
        switch self {
        case .file(let path): path
        case .store(_, let key): "store key \(key)"
        }
    }

    /// Reads the configuration text once.
    ///
    /// - Throws: an error naming the file or key when it cannot be read.
    public func read() async throws -> (bytes: [UInt8], revision: Int64) {
        switch self {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw GatewaySourceError(description: "cannot read the gateway configuration file \(path); check the path and its permissions")
            }
            return (Array(data), 0)
        case .store(let controlPlane, let key):
            let store = try EtcdStore(endpoints: [controlPlane])
            defer { Task { await store.close() } }
            guard let value = try await store.get(key) else {
                throw GatewaySourceError(description: "the store of \(controlPlane) has no key \(key); write the gateway configuration there first")
            }
            return (value.value, value.modRevision)
        }
    }
}

struct GatewaySourceError: Error, CustomStringConvertible {
    var description: String
}

extension Gateway {
    /// Follows `source` until the task is cancelled, applying each change.
    ///
    /// - Parameter interval: how often a file is read again.
    public func follow(_ source: GatewayConfigurationSource, from revision: Int64 = 0, interval: Duration = .seconds(1)) async {
        switch source {
        case .file(let path):
            await followFile(path, interval: interval)
        case .store(let controlPlane, let key):
            await followStore(controlPlane: controlPlane, key: key, from: revision)
        }
    }

    private func followFile(_ path: String, interval: Duration) async {
        var last = Array(configuration.source.utf8)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = Array(data)
            guard bytes != last else { continue }
            last = bytes
            _ = try? await apply(yaml: bytes, origin: path)
        }
    }

    private func followStore(controlPlane: String, key: String, from revision: Int64) async {
        var next = revision + 1
        var backoff: Duration = .milliseconds(200)
        while !Task.isCancelled {
            do {
                let store = try EtcdStore(endpoints: [controlPlane])
                defer { Task { await store.close() } }
                for try await event in store.watch(WatchRequest(.key(key), startRevision: next)) {
                    next = event.revision + 1
                    backoff = .milliseconds(200)
                    guard event.kind == .put else {
                        settings.logger.warning("gateway configuration key deleted; keeping the running configuration", metadata: ["config.key": .string(key)])
                        continue
                    }
                    _ = try? await apply(yaml: event.keyValue.value, origin: "store key \(key)")
                }
            } catch {
                if Task.isCancelled { return }
                settings.logger.warning("gateway configuration watch failed; retrying", metadata: ["config.key": .string(key), "error": .string("\(error)")])
                if let storeError = error as? StoreError, storeError.code == .compacted,
                   let current = try? await GatewayConfigurationSource.store(controlPlane: controlPlane, key: key).read() {
                    // The history is gone: read the key again, then watch after it.
                    _ = try? await apply(yaml: current.bytes, origin: "store key \(key)")
                    next = current.revision + 1
                }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }
}
