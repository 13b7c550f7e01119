import StratusConfig
import Synchronization

/// Releases with secrets decrypted, by namespace and number, with their
/// watch-stream line, so that the streams of many instances read and
/// encode a new release once.
///
/// Releases never change, so an entry never goes stale. Concurrent misses
/// for one release share one read. The cache keeps at most `capacity`
/// releases and drops the oldest entry beyond that.
final class ReleaseCache: Sendable {
    private struct Key: Hashable {
        var namespace: NamespaceCoordinates
        var number: Int
    }

    private enum Entry {
        case loading(Task<CachedRelease, any Error>)
        case ready(CachedRelease)
    }

    static let capacity = 512

    private let entries = Mutex<(values: [Key: Entry], order: [Key])>(([:], []))

    func release(
        _ namespace: NamespaceCoordinates,
        _ number: Int,
        load: @escaping @Sendable () async throws(ConfigCenterError) -> CachedRelease
    ) async throws(ConfigCenterError) -> CachedRelease {
        let key = Key(namespace: namespace, number: number)
        let entry: Entry = entries.withLock { state in
            if let entry = state.values[key] { return entry }
            let task = Task { () async throws -> CachedRelease in try await load() }
            state.values[key] = .loading(task)
            state.order.append(key)
            if state.order.count > Self.capacity {
                state.values.removeValue(forKey: state.order.removeFirst())
            }
            return .loading(task)
        }
        guard case .loading(let task) = entry else {
            guard case .ready(let release) = entry else { preconditionFailure("an entry is loading or ready") }
            return release
        }
        do {
            let release = try await task.value
            entries.withLock { state in
                if case .loading = state.values[key] { state.values[key] = .ready(release) }
            }
            return release
        } catch {
            // A failed read (store down, no key) is not cached.
            entries.withLock { state in
                if case .loading = state.values[key] { state.values.removeValue(forKey: key) }
            }
            throw (error as? ConfigCenterError) ?? ConfigCenter.storeFailure(error)
        }
    }
}

/// A release with its secrets decrypted, and the `ConfigWatchEvent` line
/// that carries it, encoded once.
struct CachedRelease: Sendable {
    let release: Release
    let eventLine: [UInt8]
}
