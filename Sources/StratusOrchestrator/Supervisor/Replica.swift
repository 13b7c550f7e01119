import Glibc

/// One replica as the supervisor tracks it: a slot named `<service>-<n>`
/// whose process is restarted in place, like a pod's container.
struct Replica: Sendable {
    enum Phase: Sendable, Equatable {
        /// No process runs; one starts at the instant, after a back-off.
        case waiting(until: ContinuousClock.Instant)
        case running
        /// Marked DRAINING in the registry; SIGTERM follows at the instant.
        case draining(until: ContinuousClock.Instant)
        /// Sent SIGTERM; SIGKILL follows at the instant.
        case terminating(killAt: ContinuousClock.Instant)
    }

    let service: String
    let ordinal: Int
    var template: String
    var phase: Phase
    var pid: pid_t?
    var port = 0
    var startedAt: ContinuousClock.Instant?
    var ready = false
    var everReady = false
    var readinessFailures = 0
    var livenessFailures = 0
    var registered = false
    /// When set, the process was sent SIGTERM after failing its liveness
    /// probe, and gets SIGKILL at this instant unless it exits first.
    var livenessKillAt: ContinuousClock.Instant?
    var killed = false
    var restarts = 0
    var consecutiveCrashes = 0
    var backoffDelays: [Duration] = []
    var lastExit: String?
    var cpuSample: (at: ContinuousClock.Instant, time: Duration)?
    var cpuPercent: Double?

    init(service: String, ordinal: Int, template: String, now: ContinuousClock.Instant) {
        self.service = service
        self.ordinal = ordinal
        self.template = template
        phase = .waiting(until: now)
    }

    var id: String { "\(service)-\(ordinal)" }
    var endpoint: String { "127.0.0.1:\(port)" }

    /// Whether the replica is being removed.
    var isLeaving: Bool {
        switch phase {
        case .draining, .terminating: true
        case .waiting, .running: false
        }
    }

    /// Ready, and registered when the service registers.
    func isAvailable(requiresRegistration: Bool) -> Bool {
        phase == .running && ready && (registered || !requiresRegistration)
    }

    /// The state `stratus status` shows.
    var state: String {
        switch phase {
        case .waiting: consecutiveCrashes >= 2 ? "crash-looping" : (consecutiveCrashes == 1 ? "restarting" : "starting")
        case .running: ready ? "ready" : (everReady ? "not-ready" : "starting")
        case .draining: "draining"
        case .terminating: "terminating"
        }
    }
}
