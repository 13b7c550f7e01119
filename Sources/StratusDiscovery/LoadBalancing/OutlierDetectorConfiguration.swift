/// Settings of an `OutlierDetector`.
public struct OutlierDetectorConfiguration: Sendable, Hashable {
    /// Failures in a row, with no success between them, that eject an
    /// instance. At least 1; default 5.
    public var consecutiveFailures: Int
    /// How long the first ejection lasts. The n-th ejection in a row lasts
    /// n × this, up to `maxEjectionTime`. Greater than zero; default 30 seconds.
    public var baseEjectionTime: Duration
    /// The maximum duration of an ejection, and the time without an
    /// ejection after which the count of ejections in a row starts again at
    /// zero. At least `baseEjectionTime`; default 300 seconds.
    public var maxEjectionTime: Duration
    /// The largest share of the UP instances that may be ejected at once,
    /// rounded down, from 0 to 1; default 0.5. With the default one of two
    /// or three instances can be ejected, and a single instance never is.
    public var maxEjectedFraction: Double

    /// Creates a configuration.
    ///
    /// - Precondition: every value is in the range its property documents.
    public init(
        consecutiveFailures: Int = 5,
        baseEjectionTime: Duration = .seconds(30),
        maxEjectionTime: Duration = .seconds(300),
        maxEjectedFraction: Double = 0.5
    ) {
        precondition(consecutiveFailures >= 1, "invalid consecutiveFailures \(consecutiveFailures): expected 1 or more")
        precondition(baseEjectionTime > .zero, "invalid baseEjectionTime \(baseEjectionTime): expected a duration greater than zero")
        precondition(maxEjectionTime >= baseEjectionTime, "invalid maxEjectionTime \(maxEjectionTime): expected at least baseEjectionTime \(baseEjectionTime)")
        precondition((0...1).contains(maxEjectedFraction), "invalid maxEjectedFraction \(maxEjectedFraction): expected a number from 0 to 1")
        self.consecutiveFailures = consecutiveFailures
        self.baseEjectionTime = baseEjectionTime
        self.maxEjectionTime = maxEjectionTime
        self.maxEjectedFraction = maxEjectedFraction
    }
}
