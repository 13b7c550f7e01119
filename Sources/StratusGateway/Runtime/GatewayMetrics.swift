import StratusTelemetry
import Synchronization

/// The gateway's Prometheus metrics, registered in one registry. docs/gateway.md
/// lists every series.
///
/// Thread safety: handles are cached behind mutexes; updates are atomic.
final class GatewayMetrics: Sendable {
    let registry: MetricsRegistry
    private let policyDecisions = Mutex<[String: Counter]>([:])
    private let fallbacks = Mutex<[String: Counter]>([:])
    let reloadsApplied: Counter
    let reloadsRejected: Counter
    let generation: Gauge

    init(registry: MetricsRegistry) {
        self.registry = registry
        reloadsApplied = Counter(label: "stratus_gateway_config_reloads_total", dimensions: [("result", "applied")], help: "Configurations loaded, by result: applied or rejected.", registry: registry)
        reloadsRejected = Counter(label: "stratus_gateway_config_reloads_total", dimensions: [("result", "rejected")], help: "Configurations loaded, by result: applied or rejected.", registry: registry)
        generation = Gauge(label: "stratus_gateway_config_generation", help: "The number of the configuration in use, counted from 1 at start.", registry: registry)
    }

    /// Returns the recorder of one policy's decisions on one route. Most
    /// decisions admit, so that counter is made up front and counted without
    /// a lookup. Other decisions look a counter up by the decision alone,
    /// because the recorder runs on every request.
    func decisionRecorder(route: String, policy: String) -> @Sendable (String) -> Void {
        let admitted = decisionCounter(route: route, policy: policy, decision: "admitted")
        let counters = CounterCache()
        return { [self] decision in
            if decision == "admitted" {
                admitted.increment()
                return
            }
            if let counter = counters.counters.withLock({ $0[decision] }) {
                counter.increment()
                return
            }
            let counter = decisionCounter(route: route, policy: policy, decision: decision)
            counters.counters.withLock { $0[decision] = counter }
            counter.increment()
        }
    }

    private func decisionCounter(route: String, policy: String, decision: String) -> Counter {
        counter(in: policyDecisions, key: "\(route)\u{0}\(policy)\u{0}\(decision)") {
            Counter(
                label: "stratus_gateway_policy_decisions_total",
                dimensions: [("route", route), ("policy", policy), ("decision", decision)],
                help: "Decisions of route policies and plugins: admitted, rejected, or would_reject in dry-run mode.",
                registry: registry
            )
        }
    }

    /// Counters by one label value, shared by the calls of one recorder.
    private final class CounterCache: Sendable {
        let counters = Mutex<[String: Counter]>([:])
    }

    func recordFallback(route: String, kind: String) {
        counter(in: fallbacks, key: "\(route)\u{0}\(kind)") {
            Counter(
                label: "stratus_gateway_fallbacks_total", dimensions: [("route", route), ("kind", kind)],
                help: "Fallback responses by kind: static, stale (a cached response) or none (503 without a fallback).",
                registry: registry
            )
        }.increment()
    }

    private func counter(in cache: borrowing Mutex<[String: Counter]>, key: String, make: () -> Counter) -> Counter {
        if let counter = cache.withLock({ $0[key] }) { return counter }
        let counter = make()
        cache.withLock { $0[key] = counter }
        return counter
    }
}

/// The request metrics of one route, with handles cached by consumer and status.
final class RouteMetrics: Sendable {
    private let registry: MetricsRegistry
    private let route: String
    private let upstream: String
    private let requests = Mutex<[RequestKey: Counter]>([:])
    private let anonymous = Mutex<[Int: Counter]>([:])
    private let duration: Timer
    private let classCounts = StatusClassCounts()

    private struct RequestKey: Hashable {
        var consumer: String
        var status: Int
    }

    init(registry: MetricsRegistry, route: String, upstream: String) {
        self.registry = registry
        self.route = route
        self.upstream = upstream
        duration = Timer(
            label: "stratus_gateway_request_duration_seconds", dimensions: [("route", route)],
            help: "Time from receiving a request to sending its response head, by route.", registry: registry
        )
    }

    func record(consumer: String?, status: Int, nanoseconds: UInt64) {
        let counter: Counter
        if let consumer {
            let key = RequestKey(consumer: consumer, status: status)
            counter = requests.withLock { $0[key] } ?? makeCounter(key)
        } else {
            // Most requests have no consumer: look them up by status alone.
            counter = anonymous.withLock { $0[status] } ?? makeAnonymousCounter(status)
        }
        counter.increment()
        duration.recordNanoseconds(Int64(truncatingIfNeeded: nanoseconds))
        classCounts.add(status: status, nanoseconds: nanoseconds)
    }

    /// The requests counted so far by status class, and their mean duration.
    var statistics: RouteStatistics { classCounts.snapshot }

    private func makeAnonymousCounter(_ status: Int) -> Counter {
        let counter = makeCounter(RequestKey(consumer: "none", status: status))
        anonymous.withLock { $0[status] = counter }
        return counter
    }

    private func makeCounter(_ key: RequestKey) -> Counter {
        let counter = Counter(
            label: "stratus_gateway_requests_total",
            dimensions: [("route", route), ("upstream", upstream), ("consumer", key.consumer), ("status", String(key.status))],
            help: "Responses the gateway sent, by route, upstream, consumer and status.",
            registry: registry
        )
        requests.withLock { $0[key] = counter }
        return counter
    }
}

/// The attempt and retry counters of one upstream.
final class UpstreamMetrics: Sendable {
    private let registry: MetricsRegistry
    private let upstream: String
    /// Attempts by status class, made up front so that counting takes no lock.
    private let statusClasses: [Counter]
    private let errors = Mutex<[String: Counter]>([:])
    private let retriesAdmitted: Counter
    private let retriesRejected: Counter

    init(registry: MetricsRegistry, upstream: String) {
        self.registry = registry
        self.upstream = upstream
        statusClasses = (1...5).map { Self.attemptCounter(registry: registry, upstream: upstream, result: "status_\($0)xx") }
        retriesAdmitted = Counter(label: "stratus_gateway_retries_total", dimensions: [("upstream", upstream), ("decision", "admitted")], help: "Retries by the retry budget's decision: admitted or rejected.", registry: registry)
        retriesRejected = Counter(label: "stratus_gateway_retries_total", dimensions: [("upstream", upstream), ("decision", "rejected")], help: "Retries by the retry budget's decision: admitted or rejected.", registry: registry)
    }

    private static func attemptCounter(registry: MetricsRegistry, upstream: String, result: String) -> Counter {
        Counter(
            label: "stratus_gateway_upstream_attempts_total", dimensions: [("upstream", upstream), ("result", result)],
            help: "Attempts sent to upstream instances, by result.", registry: registry
        )
    }

    /// Counts one attempt that got a response, by status class.
    func recordAttempt(status: Int) {
        statusClasses[min(max(status / 100, 1), 5) - 1].increment()
    }

    /// Counts one attempt that failed with the HTTP client's error code
    /// (`connectFailed`, `timedOut`, ...).
    func recordAttempt(error code: String) {
        let counter = errors.withLock { $0[code] } ?? {
            let counter = Self.attemptCounter(registry: registry, upstream: upstream, result: code)
            errors.withLock { $0[code] = counter }
            return counter
        }()
        counter.increment()
    }

    func recordRetry(admitted: Bool) {
        (admitted ? retriesAdmitted : retriesRejected).increment()
    }
}

/// Per-route totals the admin API shows.
public struct RouteStatistics: Sendable, Codable, Hashable {
    public var requests: Int
    public var status1xx: Int
    public var status2xx: Int
    public var status3xx: Int
    public var status4xx: Int
    public var status5xx: Int
    /// The mean time to the response head, in milliseconds.
    public var meanDurationMilliseconds: Double
}

/// Lock-free counts of responses by status class.
final class StatusClassCounts: Sendable {
    private let class1xx = Atomic<Int>(0)
    private let class2xx = Atomic<Int>(0)
    private let class3xx = Atomic<Int>(0)
    private let class4xx = Atomic<Int>(0)
    private let class5xx = Atomic<Int>(0)
    private let total = Atomic<Int>(0)
    private let nanoseconds = Atomic<UInt64>(0)

    func add(status: Int, nanoseconds elapsed: UInt64) {
        total.wrappingAdd(1, ordering: .relaxed)
        nanoseconds.wrappingAdd(elapsed, ordering: .relaxed)
        switch status / 100 {
        case 1: class1xx.wrappingAdd(1, ordering: .relaxed)
        case 2: class2xx.wrappingAdd(1, ordering: .relaxed)
        case 3: class3xx.wrappingAdd(1, ordering: .relaxed)
        case 4: class4xx.wrappingAdd(1, ordering: .relaxed)
        default: class5xx.wrappingAdd(1, ordering: .relaxed)
        }
    }

    var snapshot: RouteStatistics {
        let count = total.load(ordering: .relaxed)
        let sum = nanoseconds.load(ordering: .relaxed)
        return RouteStatistics(
            requests: count,
            status1xx: class1xx.load(ordering: .relaxed), status2xx: class2xx.load(ordering: .relaxed),
            status3xx: class3xx.load(ordering: .relaxed), status4xx: class4xx.load(ordering: .relaxed),
            status5xx: class5xx.load(ordering: .relaxed),
            meanDurationMilliseconds: count == 0 ? 0 : Double(sum) / Double(count) / 1e6
        )
    }
}
