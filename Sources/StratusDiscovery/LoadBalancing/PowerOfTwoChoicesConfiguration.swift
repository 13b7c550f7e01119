/// Settings of a `PowerOfTwoChoicesBalancer`.
public struct PowerOfTwoChoicesConfiguration: Sendable, Hashable {
    /// The time constant τ of the latency average, greater than zero. A
    /// sample that arrives Δt after the previous one gets the weight
    /// 1 − exp(−Δt / τ), and an idle instance's estimate decays by
    /// exp(−Δt / τ). Default 10 seconds.
    public var decayTime: Duration
    /// The minimum latency recorded for a failure, at least zero, so that an
    /// instance that fails fast does not look fast. Default 1 second.
    public var failurePenalty: Duration

    /// Creates a configuration.
    ///
    /// - Precondition: `decayTime` is greater than zero and `failurePenalty`
    ///   is not negative.
    public init(decayTime: Duration = .seconds(10), failurePenalty: Duration = .seconds(1)) {
        precondition(decayTime > .zero, "invalid decayTime \(decayTime): expected a duration greater than zero")
        precondition(failurePenalty >= .zero, "invalid failurePenalty \(failurePenalty): expected a duration of zero or more")
        self.decayTime = decayTime
        self.failurePenalty = failurePenalty
    }
}
