import StratusHTTP
import Synchronization

/// The watches of one store, and the HTTP client that their long-lived
/// connections use. That client is separate from the one for requests
/// because its read timeout is the watch silence timeout and its responses
/// have no size limit.
final class EtcdWatchRegistry: Sendable {
    private struct State {
        var controls: [ObjectIdentifier: EtcdWatchControl] = [:]
        var closed = false
    }

    let client: HTTPClient
    private let state = Mutex(State())

    init(configuration: EtcdStore.Configuration) {
        var http = HTTPClientConfiguration()
        http.connectTimeout = configuration.connectTimeout
        http.requestTimeout = configuration.requestTimeout
        http.readTimeout = configuration.watchSilenceTimeout
        http.limits.maxBodySize = .max
        // Each watch keeps one connection open for as long as it runs, so a
        // connection limit (64 by default) would cap concurrent watches: the
        // first watch over it would wait `poolWaitTimeout` for a free
        // connection and then fail. The open-file limit bounds them instead.
        http.maxConnectionsPerEndpoint = .max
        client = HTTPClient(configuration: http)
    }

    /// Adds a watch, or returns false when the store is closed.
    func register(_ control: EtcdWatchControl) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.controls[ObjectIdentifier(control)] = control
            return true
        }
    }

    func unregister(_ control: EtcdWatchControl) {
        _ = state.withLock { state in
            state.controls.removeValue(forKey: ObjectIdentifier(control))
        }
    }

    /// Ends every watch with `closed` and rejects new ones.
    func closeAll() {
        let controls = state.withLock { state in
            state.closed = true
            defer { state.controls = [:] }
            return Array(state.controls.values)
        }
        for control in controls {
            control.end(.storeClosed)
        }
        client.shutdown()
    }

    /// Returns the number of open watch connections to `endpoint`, for tests.
    func openConnectionCount(to endpoint: EtcdEndpoint) -> Int {
        client.openConnectionCount(host: endpoint.host, port: endpoint.port)
    }
}
