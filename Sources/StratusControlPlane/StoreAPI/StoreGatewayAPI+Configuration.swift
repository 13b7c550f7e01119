public import StratusLog

extension StoreGatewayAPI {
    /// Settings of the store API.
    public struct Configuration: Sendable {
        /// The `cluster_id` in every response header. etcd derives it from
        /// its members; here it is a fixed number. Default 1.
        public var clusterID: UInt64 = 1

        /// The `member_id` in every response header, and the leader that
        /// `/v3/maintenance/status` reports. Default 1.
        public var memberID: UInt64 = 1

        /// The `raft_term` in every response header. A store without raft has
        /// one term. Default 1.
        public var raftTerm: UInt64 = 1

        /// The etcd version that `/version` and `/v3/maintenance/status`
        /// report, which clients such as etcd3gw read to choose the API path.
        /// Default "3.4.0", the release whose gateway API this server follows.
        public var etcdVersion = "3.4.0"

        /// Largest request body accepted, in bytes. Default 4 MiB: etcd's
        /// 1.5 MiB request limit, base64-encoded, with room for the JSON.
        public var maxRequestSize = 4 << 20

        /// How often a watch created with `progress_notify` gets a progress
        /// response while it has no events. Default 10 minutes, etcd's
        /// default `--experimental-watch-progress-notify-interval`.
        public var progressNotifyInterval: Duration = .seconds(600)

        /// Receives the store errors that requests fail with, and watch starts and ends.
        public var logger = Logger(label: "stratus.controlplane.store-api")

        public init() {}
    }
}
