import Foundation
import StratusDiscovery
import StratusTestSupport
import StratusHTTP
import Synchronization

/// Measures how long a change to a service takes to reach every watcher
/// of that service.
///
/// `--watchers` HTTP watch streams (`GET /api/v1/watch?service=&revision=`)
/// of one service are opened from this process, over one `HTTPClient`
/// whose per-endpoint connection limit is raised above the watcher count.
/// Once every stream has its response head, a writer registers one warm-up
/// instance and then makes `--changes` measured changes one after another.
/// The first, third and further odd ones register a new instance (300 s
/// TTL, so none expires during the run), and each one after them sets that
/// instance's status to DRAINING. A sample is the time from just before the writer sends the
/// request until one watcher's stream delivers the chunk that completes the
/// event's line. The writer waits until all watchers have a change, then
/// pauses 200 ms before the next.
///
/// The warm-up change is reported on its own and left out of the samples.
/// Over etcd, the control plane opens each watch's connection to etcd in
/// the background after the stream's response head went out, so the first
/// change also waits for up to 1,000 of those connections to open.
///
/// NOTE: the watchers share this process's two cooperative threads and its
/// event loops with each other, on the same cores as the control plane, so
/// a sample includes this process's own scheduling of up to 1,000 streams.
enum FanOutWorkload {
    static let service = "fanout"

    static func run(_ options: BenchOptions) async throws -> [String: Any] {
        let writer = try ControlPlaneClient(endpoints: [options.controlPlane])
        let listing = try await writer.instances(of: service)
        var configuration = HTTPClientConfiguration()
        configuration.maxConnectionsPerEndpoint = options.watchers + 16
        configuration.requestTimeout = .seconds(30)
        configuration.poolWaitTimeout = .seconds(30)
        // Longer than the control plane's 15 s keep-alive interval.
        configuration.readTimeout = .seconds(60)
        let http = HTTPClient(configuration: configuration)
        defer { http.shutdown() }

        // Change 0 is the warm-up, changes 1...options.changes are measured.
        let recorder = DeliveryRecorder(watchers: options.watchers, changes: options.changes + 1)
        let url = options.controlPlane + "/api/v1/watch?service=\(service)&revision=\(listing.revision + 1)"
        let openStarted = ContinuousClock.now
        let watchers = (0..<options.watchers).map { index in
            Task { await follow(url: url, watcher: index, http: http, recorder: recorder) }
        }
        defer { watchers.forEach { $0.cancel() } }
        try await poll("\(options.watchers) watch streams to open", timeout: .seconds(120)) {
            try recorder.checkFailure()
            return recorder.openCount == options.watchers ? true : nil
        }
        let openTime = ContinuousClock.now - openStarted

        for change in 0...options.changes {
            let instanceID = change == 0 ? "warmup" : "instance-\((change - 1) / 2)"
            recorder.start(change: change)
            if change == 0 || (change - 1) % 2 == 0 {
                let instance = sampleInstance(service: service, id: instanceID, port: 30_000 + change)
                _ = try await writer.register(RegistrationRequest(instance: instance, ttlSeconds: 300))
            } else {
                try await writer.setStatus(service: service, id: instanceID, status: .draining)
            }
            try await poll("change \(change) to reach \(options.watchers) watchers", timeout: .seconds(60)) {
                try recorder.checkFailure()
                return recorder.deliveries(of: change) == options.watchers ? true : nil
            }
            try await Task.sleep(for: .milliseconds(200))
        }

        var results = LatencySummary(recorder.samples(from: 1)).fields("delivery")
        let lastDeliveries = recorder.lastDeliveries()
        results.merge(LatencySummary(Array(lastDeliveries.dropFirst())).fields("all_delivered")) { $1 }
        results["all_delivered_ms_by_change"] = lastDeliveries.dropFirst().map { (milliseconds($0) * 10).rounded() / 10 }
        results["warmup_all_delivered_ms"] = (milliseconds(lastDeliveries[0]) * 10).rounded() / 10
        results["watchers"] = options.watchers
        results["changes"] = options.changes
        results["open_s"] = (seconds(openTime) * 1000).rounded() / 1000
        return results
    }

    /// Reads one watch stream until cancelled, recording the arrival time of
    /// every event line. Events are numbered in arrival order, which is the
    /// order of the writer's changes because nothing else writes to the service.
    private static func follow(url: String, watcher: Int, http: HTTPClient, recorder: DeliveryRecorder) async {
        do {
            let response = try await http.execute(HTTPClientRequest(method: .get, url: url))
            guard response.status.code == 200 else {
                let body = (try? await response.body.collect(upTo: 64 * 1024)) ?? []
                recorder.fail("watcher \(watcher): status \(response.status.code): \(String(decoding: body, as: UTF8.self))")
                return
            }
            recorder.opened()
            var pending: [UInt8] = []
            var event = 0
            for try await chunk in response.body {
                let arrived = ContinuousClock.now
                pending.append(contentsOf: chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pending[..<newline]
                    defer { pending.removeSubrange(...newline) }
                    if line.isEmpty {
                        continue
                    }
                    if line.starts(with: Array(#"{"error""#.utf8)) {
                        recorder.fail("watcher \(watcher): the watch stream ended with \(String(decoding: line, as: UTF8.self))")
                        return
                    }
                    recorder.record(watcher: watcher, change: event, at: arrived)
                    event += 1
                }
            }
            if !Task.isCancelled {
                recorder.fail("watcher \(watcher): the watch stream ended after \(event) events")
            }
        } catch {
            if !Task.isCancelled {
                recorder.fail("watcher \(watcher): \(error)")
            }
        }
    }
}

/// The start time of each change and the time each watcher received it.
final class DeliveryRecorder: Sendable {
    private struct State {
        var opened = 0
        var starts: [ContinuousClock.Instant?]
        var arrivals: [[ContinuousClock.Instant?]]
        var counts: [Int]
        var failure: String?
    }

    private let state: Mutex<State>

    init(watchers: Int, changes: Int) {
        state = Mutex(State(
            starts: Array(repeating: nil, count: changes),
            arrivals: Array(repeating: Array(repeating: nil, count: watchers), count: changes),
            counts: Array(repeating: 0, count: changes)
        ))
    }

    var openCount: Int { state.withLock { $0.opened } }

    func opened() {
        state.withLock { $0.opened += 1 }
    }

    func start(change: Int) {
        let now = ContinuousClock.now
        state.withLock { $0.starts[change] = now }
    }

    /// Records a delivery. An event before its change started, or beyond
    /// the expected changes, is a failure.
    func record(watcher: Int, change: Int, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            guard change < state.counts.count, state.starts[change] != nil else {
                state.failure = state.failure ?? "watcher \(watcher) received event \(change) before the writer made that change"
                return
            }
            state.arrivals[change][watcher] = instant
            state.counts[change] += 1
        }
    }

    func deliveries(of change: Int) -> Int {
        state.withLock { $0.counts[change] }
    }

    func fail(_ message: String) {
        state.withLock { $0.failure = $0.failure ?? message }
    }

    func checkFailure() throws {
        if let failure = state.withLock({ $0.failure }) {
            throw BenchError(failure)
        }
    }

    /// Returns the latency of every delivery of changes `first` and later,
    /// from the start of its change.
    func samples(from first: Int) -> [Duration] {
        state.withLock { state in
            var samples: [Duration] = []
            for (change, arrivals) in state.arrivals.enumerated() where change >= first {
                guard let start = state.starts[change] else { continue }
                samples += arrivals.compactMap { $0.map { $0 - start } }
            }
            return samples
        }
    }

    /// Returns, for each change in order, the latency until its last
    /// watcher received it. Call it only after every change reached every
    /// watcher.
    func lastDeliveries() -> [Duration] {
        state.withLock { state in
            state.arrivals.enumerated().map { change, arrivals in
                arrivals.compactMap { $0 }.max()! - state.starts[change]!
            }
        }
    }
}
