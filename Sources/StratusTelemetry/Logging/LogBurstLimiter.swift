public import StratusLog
import StratusNet
import Synchronization

/// Suppresses bursts of identical log events and counts what it suppressed.
///
/// Events are identical when they have the same level, label and message
/// text. The message is compared after interpolation, which is one more
/// reason to keep values in metadata. Each such event gets a fixed window
/// that starts at its first occurrence: the first `maxEventsPerWindow`
/// occurrences in the window are written and the rest are suppressed.
///
/// A window with suppressed events is reported by one summary line with the
/// burst's level, label and message and the metadata `log.suppressed` (the
/// number suppressed). The summary is written before the next identical event
/// after the window. When the burst has stopped, it is written before any
/// event once the periodic sweep finds the window ended, within two windows.
/// A process that logs nothing more after a burst never writes its summary.
///
/// Memory is bounded: at most `maxTrackedEvents` distinct events are tracked.
/// Expired windows are swept at most once per window, and when the table is
/// still full, a new kind of event is written without being tracked, so
/// floods of distinct messages are never suppressed.
///
/// Events whose label is in `exemptLabels` are never suppressed: the access
/// log writes the same message for every request on purpose.
///
/// Thread safety: `admit` may be called from any thread. It takes one lock
/// for a dictionary lookup, so it costs about as much as formatting a short
/// line.
public final class LogBurstLimiter: Sendable {
    public struct Configuration: Sendable {
        /// The number of identical events written per window before
        /// suppressing. These defaults are a judgment, not a measurement.
        public var maxEventsPerWindow: Int
        public var window: Duration
        /// The maximum number of distinct events tracked at once.
        public var maxTrackedEvents: Int
        /// Labels whose events are never suppressed.
        public var exemptLabels: Set<String>

        public init(
            maxEventsPerWindow: Int = 20,
            window: Duration = .seconds(1),
            maxTrackedEvents: Int = 1024,
            exemptLabels: Set<String> = [AccessLogMiddleware.defaultLabel]
        ) {
            precondition(maxEventsPerWindow > 0, "maxEventsPerWindow is \(maxEventsPerWindow); it must be at least 1")
            precondition(maxTrackedEvents > 0, "maxTrackedEvents is \(maxTrackedEvents); it must be at least 1")
            self.maxEventsPerWindow = maxEventsPerWindow
            self.window = window
            self.maxTrackedEvents = maxTrackedEvents
            self.exemptLabels = exemptLabels
        }
    }

    /// A burst that had suppressed events, to be written as one summary line.
    public struct Summary: Sendable, Equatable {
        public var level: Logger.Level
        public var label: String
        public var message: String
        /// The source of the burst's first event.
        public var source: String
        public var suppressedCount: Int
    }

    /// Whether to write an event, and the summaries to write before it.
    public struct Admission: Sendable {
        public var isAllowed: Bool
        public var summaries: [Summary]
    }

    private struct Key: Hashable {
        let level: Logger.Level
        let label: String
        let message: String
    }

    private struct Entry {
        let windowStart: UInt64
        var count: Int
        var suppressed: Int
        let source: String
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var lastSweep: UInt64 = 0
    }

    // Immutable.
    public let configuration: Configuration
    private let windowNanoseconds: UInt64
    private let now: @Sendable () -> UInt64

    // Guarded by the mutex.
    private let state = Mutex(State())

    /// Creates a limiter.
    ///
    /// - Parameter now: monotonic time in nanoseconds, by default
    ///   `MonotonicClock.now`. Tests inject a clock they advance by hand.
    public init(configuration: Configuration = Configuration(), now: (@Sendable () -> UInt64)? = nil) {
        self.configuration = configuration
        self.windowNanoseconds = configuration.window.nanoseconds
        self.now = now ?? { MonotonicClock.now() }
    }

    /// The number of distinct events tracked, at most `maxTrackedEvents`.
    public var trackedEventCount: Int {
        state.withLock { $0.entries.count }
    }

    /// Counts one event and decides whether to write it.
    public func admit(level: Logger.Level, label: String, message: String, source: String) -> Admission {
        if configuration.exemptLabels.contains(label) {
            return Admission(isAllowed: true, summaries: [])
        }
        let time = now()
        let key = Key(level: level, label: label, message: message)
        return state.withLock { state in
            var summaries = sweepIfDue(&state, at: time)
            let isAllowed = count(key, source: source, in: &state, at: time, summaries: &summaries)
            return Admission(isAllowed: isAllowed, summaries: summaries)
        }
    }

    /// Removes expired entries, at most once per window, and returns the
    /// summaries of those that suppressed events.
    private func sweepIfDue(_ state: inout State, at time: UInt64) -> [Summary] {
        guard time &- state.lastSweep >= windowNanoseconds else { return [] }
        state.lastSweep = time
        var summaries: [Summary] = []
        for (key, entry) in state.entries where time &- entry.windowStart >= windowNanoseconds {
            state.entries[key] = nil
            if entry.suppressed > 0 {
                summaries.append(summary(of: key, entry))
            }
        }
        return summaries
    }

    /// Counts `key` in its window and returns whether the event is written.
    /// When the key's window has ended, it appends the old window's summary
    /// and starts a new window with this event.
    private func count(
        _ key: Key,
        source: String,
        in state: inout State,
        at time: UInt64,
        summaries: inout [Summary]
    ) -> Bool {
        guard var entry = state.entries[key], time &- entry.windowStart < windowNanoseconds else {
            if let ended = state.entries[key], ended.suppressed > 0 {
                summaries.append(summary(of: key, ended))
            }
            if state.entries[key] != nil || state.entries.count < configuration.maxTrackedEvents {
                state.entries[key] = Entry(windowStart: time, count: 1, suppressed: 0, source: source)
            }
            return true
        }
        entry.count += 1
        let isAllowed = entry.count <= configuration.maxEventsPerWindow
        if !isAllowed {
            entry.suppressed += 1
        }
        state.entries[key] = entry
        return isAllowed
    }

    private func summary(of key: Key, _ entry: Entry) -> Summary {
        Summary(
            level: key.level, label: key.label, message: key.message,
            source: entry.source, suppressedCount: entry.suppressed
        )
    }
}
