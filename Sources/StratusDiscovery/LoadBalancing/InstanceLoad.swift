import Foundation

/// The load statistics of one instance, as `PowerOfTwoChoicesBalancer`
/// returns them for monitoring and tests.
public struct InstanceLoadEstimate: Sendable, Hashable {
    /// The moving average of the instance's latency at the time of the call,
    /// decayed while the instance is idle; nil before the first sample.
    public var latency: Duration?
    /// Picks of the instance whose outcome has not been reported yet.
    public var outstanding: Int

    public init(latency: Duration?, outstanding: Int) {
        self.latency = latency
        self.outstanding = outstanding
    }
}

/// The latency average and outstanding count of one instance. Times are
/// in seconds since the balancer's clock origin, and the owner holds the lock.
struct InstanceLoad {
    /// The exponentially weighted moving average of latency samples, in seconds.
    private(set) var averageLatency = 0.0
    /// When the last sample arrived, in seconds since the clock origin.
    private(set) var lastSampleTime = 0.0
    private(set) var hasSample = false
    var outstanding = 0

    /// Returns the latency estimate at `now`: the average, decayed by
    /// exp(−Δt / τ) since the last sample while nothing is outstanding, so
    /// that an instance skipped for being slow is tried again later.
    func latencyEstimate(at now: Double, decayTime: Double) -> Double {
        guard outstanding == 0 else { return averageLatency }
        return averageLatency * exp(-max(now - lastSampleTime, 0) / decayTime)
    }

    /// Returns the load score at `now`; the lower score wins.
    ///
    /// A measured instance scores latency estimate × (outstanding + 1). An
    /// instance without a sample scores 0 while idle, so that it gets one
    /// request to measure. While that request is outstanding it scores worse
    /// than every measured instance.
    func score(at now: Double, decayTime: Double) -> (rank: Int, value: Double) {
        guard hasSample else {
            return outstanding == 0 ? (0, 0) : (1, Double(outstanding))
        }
        return (0, latencyEstimate(at: now, decayTime: decayTime) * Double(outstanding + 1))
    }

    /// Adds a latency sample taken at `now` to the average. The first sample
    /// sets the average. A later one gets the weight 1 − exp(−Δt / τ), where
    /// Δt is the time since the previous sample.
    mutating func record(latency: Double, at now: Double, decayTime: Double) {
        if hasSample {
            let keep = exp(-max(now - lastSampleTime, 0) / decayTime)
            averageLatency = averageLatency * keep + latency * (1 - keep)
        } else {
            averageLatency = latency
            hasSample = true
        }
        lastSampleTime = now
    }

    func estimate(at now: Double, decayTime: Double) -> InstanceLoadEstimate {
        let latency = hasSample ? Duration.seconds(latencyEstimate(at: now, decayTime: decayTime)) : nil
        return InstanceLoadEstimate(latency: latency, outstanding: outstanding)
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
