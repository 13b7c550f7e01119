public import StratusHTTP
public import StratusLog
public import StratusResilience
import Synchronization

/// A JSON Web Key set fetched from an `http://` URL and cached.
///
/// - The first `currentKeys()` fetches the set and waits for it. Later
///   calls return the cached keys at once, and start a refresh in the
///   background when the keys are older than `refreshInterval`.
/// - `refreshForUnknownKey()` fetches again for a token whose `kid` is not
///   in the set (a key rotation), unless a fetch started less than
///   `minRefreshInterval` ago, so tokens with made-up key IDs cannot make
///   the gateway hammer the key server.
/// - A failed fetch (unreachable, timeout, a status other than 200, an
///   invalid set or one without usable keys) keeps the last good set and
///   is logged at warning level.
/// - At most one fetch runs at a time; concurrent callers wait for it.
///
/// Thread safety: every method may be called from any task; the state is
/// behind one `Mutex`.
public final class RemoteJWKSet: Sendable {
    public let url: String
    private let client: HTTPClient
    private let refreshInterval: UInt64
    private let minRefreshInterval: UInt64
    private let timeout: Duration
    private let clock: ResilienceClock
    private let logger: Logger

    private struct State {
        var keys: JWTKeySet?
        var fetchedAt: UInt64 = 0
        var lastAttempt: UInt64?
        var inFlight: Task<Void, Never>?
        var fetches = 0
        var failures = 0
    }

    private let state = Mutex(State())

    /// The largest key set read, in bytes.
    static let maxBodySize = 1 << 20

    public init(
        url: String,
        client: HTTPClient,
        refreshInterval: Duration,
        minRefreshInterval: Duration,
        timeout: Duration,
        clock: ResilienceClock = .system,
        logger: Logger
    ) {
        self.url = url
        self.client = client
        self.refreshInterval = refreshInterval.wholeNanoseconds
        self.minRefreshInterval = minRefreshInterval.wholeNanoseconds
        self.timeout = timeout
        self.clock = clock
        self.logger = logger
    }

    /// The number of fetches started and of those that failed.
    public var fetchCounts: (started: Int, failed: Int) {
        state.withLock { ($0.fetches, $0.failures) }
    }

    /// Returns the cached keys, fetching them the first time; see the type.
    /// Returns an empty set while no fetch has succeeded.
    public func currentKeys() async -> JWTKeySet {
        let now = clock.now()
        let (cached, pending) = state.withLock { state -> (JWTKeySet?, Task<Void, Never>?) in
            guard let keys = state.keys else {
                if let inFlight = state.inFlight { return (nil, inFlight) }
                guard mayFetch(state, now: now) else { return (.empty, nil) }
                return (nil, startFetch(&state, now: now))
            }
            if now &- state.fetchedAt >= refreshInterval, state.inFlight == nil, mayFetch(state, now: now) {
                _ = startFetch(&state, now: now)
            }
            return (keys, nil)
        }
        if let cached { return cached }
        await pending?.value
        return state.withLock { $0.keys } ?? .empty
    }

    /// Fetches the set again unless a fetch started less than
    /// `minRefreshInterval` ago. Returns the keys after the fetch, or nil
    /// when no fetch was allowed.
    public func refreshForUnknownKey() async -> JWTKeySet? {
        let now = clock.now()
        let pending = state.withLock { state -> Task<Void, Never>? in
            if let inFlight = state.inFlight { return inFlight }
            guard mayFetch(state, now: now) else { return nil }
            return startFetch(&state, now: now)
        }
        guard let pending else { return nil }
        await pending.value
        return state.withLock { $0.keys } ?? .empty
    }

    /// Fetches the set now, or waits for the fetch in progress.
    public func refresh() async {
        let now = clock.now()
        let pending = state.withLock { state in
            state.inFlight ?? startFetch(&state, now: now)
        }
        await pending.value
    }

    private func mayFetch(_ state: State, now: UInt64) -> Bool {
        guard let last = state.lastAttempt else { return true }
        return now &- last >= minRefreshInterval
    }

    private func startFetch(_ state: inout State, now: UInt64) -> Task<Void, Never> {
        state.lastAttempt = now
        state.fetches += 1
        let task = Task { await self.fetch() }
        state.inFlight = task
        return task
    }

    private func fetch() async {
        let result = await download()
        state.withLock { state in
            state.inFlight = nil
            switch result {
            case .success(let keys):
                state.keys = keys
                state.fetchedAt = clock.now()
            case .failure:
                state.failures += 1
            }
        }
        if case .failure(let error) = result {
            logger.warning("JWKS fetch failed; keeping the last good keys", metadata: [
                PolicyLogKey.url: .string(LogText.redactedURL(url)),
                PolicyLogKey.error: .string(error.description),
            ])
        }
    }

    private func download() async -> Result<JWTKeySet, FetchError> {
        do {
            let (response, body) = try await client.execute(HTTPClientRequest(url: url), timeout: timeout, collectingUpTo: Self.maxBodySize)
            guard response.status.code == 200 else {
                return .failure(FetchError(description: "status \(response.status.code)"))
            }
            let output = try JWKSetParser(allowsSymmetricKeys: false).parse(body)
            if !output.skipped.isEmpty {
                logger.debug("JWKS keys skipped", metadata: [PolicyLogKey.url: .string(LogText.redactedURL(url)), "jwks.skipped": .array(output.skipped.map { .string($0) })])
            }
            guard !output.keys.isEmpty else {
                return .failure(FetchError(description: "the set has no usable key"))
            }
            return .success(JWTKeySet(keys: output.keys))
        } catch {
            return .failure(FetchError(description: LogText.redacting(url, in: "\(error)")))
        }
    }

    private struct FetchError: Error, CustomStringConvertible {
        let description: String
    }
}
