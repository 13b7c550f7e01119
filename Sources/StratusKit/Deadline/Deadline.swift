import StratusNet

/// The instant by which a request must be completed, on this process's
/// monotonic clock (`MonotonicClock`, nanoseconds).
///
/// A deadline only has meaning inside one process, because monotonic clocks
/// of two hosts share no origin. To pass it on, send the remaining time
/// (`DeadlineHeader`), as `ServiceClient` does.
///
/// `Deadline.current` is the deadline of the request the current task works
/// for. `DeadlineMiddleware` sets it for handlers, and `ServiceClient` caps
/// its timeouts by it. Setting it cancels nothing by itself.
public struct Deadline: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The instant, in nanoseconds on `MonotonicClock`.
    public let uptimeNanoseconds: UInt64

    public init(uptimeNanoseconds: UInt64) {
        self.uptimeNanoseconds = uptimeNanoseconds
    }

    /// Returns the deadline `duration` from now. A negative duration counts
    /// as zero.
    public static func after(_ duration: Duration) -> Deadline {
        after(duration, from: MonotonicClock.now())
    }

    /// Returns the deadline `duration` after `now` (nanoseconds on `MonotonicClock`).
    /// A negative duration counts as zero.
    public static func after(_ duration: Duration, from now: UInt64) -> Deadline {
        let (sum, overflow) = now.addingReportingOverflow(duration.nanoseconds)
        return Deadline(uptimeNanoseconds: overflow ? .max : sum)
    }

    /// Returns the time left at `now`, or zero once the deadline has passed.
    public func remaining(at now: UInt64) -> Duration {
        guard uptimeNanoseconds > now else { return .zero }
        return .nanoseconds(Int64(clamping: uptimeNanoseconds - now))
    }

    /// The time left now; zero once the deadline has passed.
    public var remaining: Duration { remaining(at: MonotonicClock.now()) }

    public var hasPassed: Bool { uptimeNanoseconds <= MonotonicClock.now() }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        lhs.uptimeNanoseconds < rhs.uptimeNanoseconds
    }

    public var description: String { "deadline in \(remaining)" }

    /// The deadline of the current task, set with `withDeadline`.
    public static var current: Deadline? { storage }

    @TaskLocal static var storage: Deadline?
}

/// Runs `operation` with `Deadline.current` set to `deadline`, or kept at
/// the current deadline when that one is earlier: a nested deadline never
/// extends the one around it.
public func withDeadline<Result>(_ deadline: Deadline, operation: () async throws -> Result) async rethrows -> Result {
    let effective = Deadline.current.map { min($0, deadline) } ?? deadline
    return try await Deadline.$storage.withValue(effective, operation: operation)
}

/// Runs `operation` with a deadline `timeout` from now, as `withDeadline`
/// does.
public func withDeadline<Result>(after timeout: Duration, operation: () async throws -> Result) async rethrows -> Result {
    try await withDeadline(Deadline.after(timeout), operation: operation)
}
