package import StratusHTTP
import Synchronization

/// Label values shared by the HTTP server and client metrics.
package enum HTTPMetricsLabels {
    /// The `method` label: the method when it is one of RFC 9110's and PATCH,
    /// otherwise `_OTHER`, as OpenTelemetry's HTTP conventions do, so that
    /// made-up methods cannot add series.
    package static func method(_ method: HTTPMethod) -> String {
        switch method {
        case .get, .head, .post, .put, .delete, .patch, .options, .trace, .connect:
            method.rawValue
        default:
            "_OTHER"
        }
    }
}

/// Metric handles by label values, so a request finds its handles with one
/// dictionary lookup under a lock instead of building label sets.
///
/// Thread safety: the dictionary is guarded by its mutex, taken once per lookup.
final class HTTPMetricsHandleCache<Key: Hashable & Sendable, Handles: Sendable>: Sendable {
    /// The maximum number of entries. Past it, handles are still made (through the
    /// registry's lookup, which is slower) but not cached, so a flood of label
    /// values cannot grow the cache.
    static var maxEntries: Int { 4_096 }

    private let entries = Mutex<[Key: Handles]>([:])

    /// Returns the cached handles of `key`, or makes them with `make` outside
    /// the lock and caches them.
    func handles(for key: Key, make: () -> Handles) -> Handles {
        if let cached = entries.withLock({ $0[key] }) {
            return cached
        }
        let made = make()
        entries.withLock { entries in
            if entries.count < Self.maxEntries {
                entries[key] = made
            }
        }
        return made
    }
}

extension MetricsRegistry {
    /// Makes a metric whose names are constants of this module, where an
    /// error means another metric took the name with another type.
    func makeBuiltIn<Metric>(_ make: () throws(MetricsError) -> Metric) -> Metric {
        do {
            return try make()
        } catch {
            preconditionFailure("cannot register a built-in HTTP metric: \(error)")
        }
    }
}
