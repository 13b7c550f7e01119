import StratusNet
import Synchronization

/// A limit on retries in proportion to requests, so that a failing upstream
/// receives at most a fixed share of extra load from retries.
///
/// Each request deposits `ratio` tokens and each admitted retry withdraws
/// one. Deposits and withdrawals expire after `window`, and a reserve of
/// `minRetriesPerSecond` × window seconds tokens lets a client with little
/// traffic still retry. A retry is admitted while the balance (reserve +
/// ratio × requests − retries, over the last window) is at least one token.
/// So the retries of any one window stay at or below ratio × the requests
/// of that window plus the reserve.
///
/// The window moves in tenths: deposits and withdrawals leave it one
/// tenth of `window` at a time.
///
/// Thread safety: all methods may be called from any thread. The window is
/// behind a `Mutex`, and neither method allocates.
public final class RetryBudget: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Tokens each request deposits: the share of requests that may be
        /// retried, 0 to 1. Default 0.1.
        public var ratio: Double
        /// Retries per second admitted without deposits, at least 0.
        /// Default 1, which is 10 retries per default window.
        public var minRetriesPerSecond: Double
        /// How long a deposit or a withdrawal counts. Default 10 s.
        public var window: Duration

        public init(ratio: Double = 0.1, minRetriesPerSecond: Double = 1, window: Duration = .seconds(10)) {
            precondition((0...1).contains(ratio), "invalid retry budget ratio \(ratio): expected 0 to 1")
            precondition(
                minRetriesPerSecond >= 0 && minRetriesPerSecond.isFinite,
                "invalid minRetriesPerSecond \(minRetriesPerSecond): expected a finite number, at least 0"
            )
            precondition(window >= .milliseconds(10), "invalid retry budget window \(window): expected at least 10 ms")
            self.ratio = ratio
            self.minRetriesPerSecond = minRetriesPerSecond
            self.window = window
        }
    }

    private struct Bucket {
        var requests: Int64 = 0
        var retries: Int64 = 0
    }

    /// Tokens are counted in millionths, so that sums stay exact.
    private static let unit: Int64 = 1_000_000
    private static let bucketCount = 10

    public let configuration: Configuration
    public let mode: EnforcementMode
    /// Admitted retries, rejected retries and, in dry-run mode, the retries
    /// the budget would have rejected.
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let depositPerRequest: Int64
    private let reserve: Int64
    private let window: Mutex<RollingBuckets<Bucket>>

    public init(configuration: Configuration = Configuration(), mode: EnforcementMode = .enforce, clock: ResilienceClock = .system) {
        self.configuration = configuration
        self.mode = mode
        self.clock = clock
        depositPerRequest = Int64((configuration.ratio * Double(Self.unit)).rounded())
        let windowSeconds = Double(configuration.window.nanoseconds) / 1e9
        reserve = Int64((configuration.minRetriesPerSecond * windowSeconds * Double(Self.unit)).rounded())
        window = Mutex(RollingBuckets(count: Self.bucketCount, window: configuration.window, empty: Bucket(), now: clock.now()))
    }

    /// Deposits the tokens of one request. Call it once per request, not
    /// per attempt.
    public func recordRequest() {
        let now = clock.now()
        window.withLock { window in
            window.advance(to: now)
            window.newest.requests += 1
        }
    }

    /// Withdraws one token for a retry when the balance allows it, and
    /// returns the decision under `mode`. A rejected retry has
    /// `retryAfter` zero, because the budget cannot tell when a deposit
    /// will come.
    public func acquireRetry() -> PolicyDecision {
        let now = clock.now()
        let mode = self.mode
        let admitted = window.withLock { window -> Bool in
            window.advance(to: now)
            let admitted = balance(of: window) >= Self.unit
            // A dry-run budget lets the retry run, so it withdraws the token
            // too and the balance shows what enforcement would see.
            if admitted || mode == .dryRun {
                window.newest.retries += 1
            }
            return admitted
        }
        return counters.apply(admitted ? .admitted : .rejected(retryAfter: .zero), mode: mode)
    }

    /// The tokens available now, in retries: the reserve plus the deposits
    /// minus the withdrawals of the last window. Negative in dry-run mode
    /// when more retries ran than the budget allows.
    public var balance: Double {
        let now = clock.now()
        let tokens = window.withLock { window in
            window.advance(to: now)
            return balance(of: window)
        }
        return Double(tokens) / Double(Self.unit)
    }

    private func balance(of window: RollingBuckets<Bucket>) -> Int64 {
        var requests: Int64 = 0
        var retries: Int64 = 0
        for bucket in window.buckets {
            requests += bucket.requests
            retries += bucket.retries
        }
        return reserve + requests * depositPerRequest - retries * Self.unit
    }
}
