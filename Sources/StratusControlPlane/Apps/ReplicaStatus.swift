/// One replica as observed.
public struct ReplicaStatus: Sendable, Hashable, Codable {
    /// `<service>-<n>`, the replica's `STRATUS_INSTANCE_ID`.
    public var id: String
    /// The process id, nil while no process runs.
    public var pid: Int32?
    /// `127.0.0.1:<port>`.
    public var endpoint: String
    /// starting, ready, not-ready, draining, terminating, restarting or
    /// crash-looping.
    public var state: String
    public var ready: Bool
    public var registered: Bool
    public var restarts: Int
    /// The hash of the template the replica runs.
    public var template: String
    /// The back-off delays before each restart since the last stable run,
    /// in seconds, oldest first.
    public var backoffDelays: [Double]
    /// The end of the last process, such as `exit status 1` or `signal 9 (SIGKILL)`.
    public var lastExit: String?
    /// CPU use over the autoscaler's last period, in percent of one CPU.
    public var cpuPercent: Double?
    public var logFile: String

    public init(
        id: String, pid: Int32?, endpoint: String, state: String, ready: Bool, registered: Bool, restarts: Int, template: String,
        backoffDelays: [Double], lastExit: String?, cpuPercent: Double?, logFile: String
    ) {
        self.id = id
        self.pid = pid
        self.endpoint = endpoint
        self.state = state
        self.ready = ready
        self.registered = registered
        self.restarts = restarts
        self.template = template
        self.backoffDelays = backoffDelays
        self.lastExit = lastExit
        self.cpuPercent = cpuPercent
        self.logFile = logFile
    }
}
