public import StratusLog
import Synchronization

/// One namespace of the config center as a running service sees it: loaded
/// at start, kept up to date by a watch, with typed change handlers.
///
/// ```swift
/// let config = RemoteConfiguration(client: client, options: .init(application: "iam-apiserver", environment: "dev", namespace: "application", instanceID: "api-1"))
/// config.onChange(of: "feature.newCheckout", as: Bool.self) { old, new in
///     checkout.useNewFlow = new ?? false
/// }
/// await config.start()
/// let limits = try config.decode(Limits.self)
/// ```
///
/// - `start` returns once the first release is applied, from the control
///   plane or, when the control plane does not respond within
///   `Options.startTimeout` or its release is refused, from the disk cache.
///   Without either, it returns unloaded and goes on trying in the
///   background; `isLoaded` says which.
/// - A new release is applied when every handler accepts it: each value a
///   handler reads must decode, and no handler may throw. A handler that
///   throws undoes what the handlers before it did, by calling them again
///   with the old and new values swapped, and the release is refused. A
///   refused release changes nothing: the previous one stays in force. The
///   refusal is logged and reported to the control plane, which lists it in
///   the namespace's history.
/// - Handlers run before the release is in force: inside a handler,
///   `value` and `decode` still read the previous release, and they read
///   the new one once every handler has returned.
/// - When the watch breaks, the previous release stays in force and the
///   watch is opened again with backoff (100 ms doubling to 5 s). The
///   stream starts with the current release, so a release published while
///   the stream was down arrives at once.
///
/// Thread safety: every method may be called from any task. Handlers run
/// one release at a time, in the order they were added.
public final class RemoteConfiguration: Sendable {
    public struct Options: Sendable {
        public var application: String
        public var environment: String
        public var namespace: String
        /// The instance id, which gray selectors list and history shows.
        public var instanceID: String
        /// The instance's labels, which gray selectors match.
        public var labels: [String: String] = [:]
        /// The directory that keeps the last applied release; nil keeps none.
        public var cacheDirectory: String?
        /// How long `start` waits for the control plane before it reads the cache.
        public var startTimeout: Duration = .seconds(5)
        /// The longest random delay before an instance reports a release it
        /// applied or refused. It spreads the reports of many instances
        /// that receive one release at once, and a newer report replaces one
        /// still waiting. Default 1 s.
        public var reportDelay: Duration = .seconds(1)

        public init(application: String, environment: String, namespace: String, instanceID: String) {
            self.application = application
            self.environment = environment
            self.namespace = namespace
            self.instanceID = instanceID
        }

        public var coordinates: NamespaceCoordinates {
            NamespaceCoordinates(application: application, environment: environment, namespace: namespace)
        }
    }

    /// The origin of the release in force.
    public enum Source: String, Sendable {
        case controlPlane = "control-plane"
        case cache
    }

    struct State {
        var snapshot: ConfigSnapshot
        var loaded = false
        var source: Source?
        var handlers: [ChangeHandler] = []
        /// Releases refused, so that a release sent again is not tried again.
        var refused: Set<Int> = []
        /// Tasks in `waitUntilLoaded`.
        var loadWaiters: [CheckedContinuation<Void, Never>] = []
        /// Tasks in `start`, until the first release or the first failure.
        var startWaiters: [CheckedContinuation<Void, Never>] = []
        var firstAttemptDone = false
        var follower: Task<Void, Never>?
        /// Set by `stop`: no release is applied after it.
        var stopped = false
    }

    public let options: Options
    let client: ConfigCenterClient
    let logger: Logger
    let cache: ReleaseDiskCache?
    let state: Mutex<State>
    /// Serializes applies: the watch and the start deadline may both apply.
    let gate = SerialGate()
    let reporter: ReleaseReporter

    public init(client: ConfigCenterClient, options: Options, logger: Logger = Logger(label: "stratus.config")) {
        self.client = client
        self.options = options
        self.logger = logger
        cache = options.cacheDirectory.map(ReleaseDiskCache.init)
        reporter = ReleaseReporter(client: client, namespace: options.coordinates, maximumDelay: options.reportDelay, logger: logger)
        state = Mutex(State(snapshot: .empty(options.coordinates.description)))
    }

    /// Whether a release (or the knowledge that none is published) is in force.
    public var isLoaded: Bool { state.withLock { $0.loaded } }

    /// The origin of the release in force; nil before the first load.
    public var source: Source? { state.withLock { $0.source } }

    /// The values in force.
    public var snapshot: ConfigSnapshot { state.withLock { $0.snapshot } }

    /// The number of the release in force; nil when none is.
    public var releaseNumber: Int? { snapshot.release?.number }

    /// Decodes the value in force at a dotted key; nil when absent.
    public func value<T: Decodable>(_ key: String, as type: T.Type) throws(ConfigurationError) -> T? {
        try snapshot.value(key, as: type)
    }

    /// Decodes the whole namespace in force as `type`.
    public func decode<T: Decodable>(_ type: T.Type) throws(ConfigurationError) -> T {
        try snapshot.decode(type)
    }

    var metadata: Logger.Metadata {
        ["config.namespace": .string(options.coordinates.description), "instance.id": .string(options.instanceID)]
    }
}
