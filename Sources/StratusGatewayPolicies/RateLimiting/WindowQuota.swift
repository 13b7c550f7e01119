/// Fixed time windows on the wall clock and the tokens each one grants,
/// shared by every replica of a cluster-wide limit.
///
/// Window `w` covers `[w × length, (w + 1) × length)` nanoseconds since the
/// Unix epoch, so replicas agree on windows as far as their clocks agree.
/// A rate whose tokens per window are not whole is spread exactly: window
/// `w` grants ⌊(w + 1) × q⌋ − ⌊w × q⌋ tokens for q = rate × length, so any
/// run of windows grants the rate to within one token.
struct WindowQuota: Sendable, Hashable {
    let rate: Double
    let length: UInt64

    init(rate: Double, window: Duration) {
        precondition(rate > 0 && rate.isFinite, "invalid rate \(rate): expected a positive number of requests per second")
        self.rate = rate
        length = window.wholeNanoseconds
        precondition(length >= 1_000_000, "invalid window \(window): expected at least 1 ms")
    }

    /// The tokens per window, possibly fractional.
    var tokensPerWindow: Double {
        rate * Double(length) / 1e9
    }

    func window(at now: UInt64) -> Int64 {
        Int64(now / length)
    }

    func start(of window: Int64) -> UInt64 {
        UInt64(window) * length
    }

    /// Nanoseconds from `now` to the end of its window, at least 1.
    func remaining(at now: UInt64) -> UInt64 {
        max(1, start(of: window(at: now) + 1) - now)
    }

    func tokens(in window: Int64) -> Int64 {
        let perWindow = tokensPerWindow
        // Windows of the current epoch are near 2^31 for 1 s windows, so
        // the products stay far inside Double's exact integer range for
        // rates below about a million per second.
        let end = (Double(window + 1) * perWindow).rounded(.down)
        let start = (Double(window) * perWindow).rounded(.down)
        return Int64(end - start)
    }
}
