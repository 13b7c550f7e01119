public import StratusLog

extension EtcdStore {
    /// Settings of an `EtcdStore`.
    public struct Configuration: Sendable {
        /// Maximum time to open a connection to one member before the request
        /// moves to the next member. Default 2 s.
        public var connectTimeout: Duration = .seconds(2)

        /// Maximum time for one member to respond to a request. Default 15 s,
        /// above etcd 3.4's own limit for a write (5 s plus two election
        /// timeouts, 7 s with default flags), so that etcd reports its own
        /// timeout first.
        public var requestTimeout: Duration = .seconds(15)

        /// Maximum silence on a watch connection before the watch reopens it
        /// on the next member, resuming where it stopped. Default 25 min. The
        /// watch requests progress notifications, which etcd sends to a
        /// watch without events once per `--experimental-watch-progress-notify-interval`
        /// (10 min by default), so an idle but healthy watch is not reopened.
        public var watchSilenceTimeout: Duration = .seconds(25 * 60)

        /// How long a watch keeps trying to reconnect while no member accepts
        /// it, before it ends with `unavailable`. Default 30 s.
        public var watchReconnectTimeout: Duration = .seconds(30)

        /// Largest response body accepted, in bytes. Default 64 MiB: a range
        /// of many large values arrives base64-encoded, a third larger than
        /// the values.
        public var maxResponseSize = 64 * 1024 * 1024

        /// Receives failovers, watch reconnects and the errors behind them.
        public var logger = Logger(label: "stratus.store.etcd")

        public init() {}
    }
}
