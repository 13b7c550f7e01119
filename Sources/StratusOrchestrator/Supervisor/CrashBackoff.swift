/// The delay before restarting a replica that exited, as the kubelet's
/// CrashLoopBackOff: it doubles with each crash in a row, from `unit` up to
/// ten units (1, 2, 4, 8, 10 s with the default unit of one second).
///
/// A replica that ran for `stableRun` before it exited starts again from
/// one unit, as the kubelet resets its back-off after ten minutes of
/// running.
public struct CrashBackoff: Sendable, Hashable {
    public var unit: Duration

    public init(unit: Duration = .seconds(1)) {
        self.unit = unit
    }

    /// The maximum delay: ten units.
    public var maximum: Duration { unit * 10 }

    /// A run this long resets the back-off: 600 units, ten minutes by default.
    public var stableRun: Duration { unit * 600 }

    /// Returns the delay before the restart after `crashes` exits in a row,
    /// `crashes` being 1 or more.
    public func delay(afterCrashes crashes: Int) -> Duration {
        let doublings = min(max(crashes - 1, 0), 10)
        return min(unit * (1 << doublings), maximum)
    }
}
