import Glibc

/// The process statistics that Prometheus client libraries export under the
/// `process_` prefix, read from /proc at every scrape (proc(5)). On a system
/// without /proc, the statistics that cannot be read are left out.
enum ProcessMetrics {
    static func collect(into collection: inout MetricsCollection) throws(MetricsError) {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        if let stat = ProcessStat(ProcFile.read("/proc/self/stat")) {
            try collection.counter(
                "process_cpu_seconds_total",
                help: "Total user and system CPU time spent in seconds.",
                value: Double(stat.userTicks + stat.systemTicks) / ticksPerSecond
            )
            try collection.gauge(
                "process_virtual_memory_bytes",
                help: "Virtual memory size in bytes.",
                value: Double(stat.virtualMemoryBytes)
            )
            try collection.gauge(
                "process_resident_memory_bytes",
                help: "Resident memory size in bytes.",
                value: Double(stat.residentPages) * Double(sysconf(Int32(_SC_PAGESIZE)))
            )
            if let bootTime = bootTimeSeconds() {
                try collection.gauge(
                    "process_start_time_seconds",
                    help: "Start time of the process since the Unix epoch in seconds.",
                    value: Double(bootTime) + Double(stat.startTicks) / ticksPerSecond
                )
            }
        }
        // The count includes the descriptor that reads the directory, so one
        // is taken off.
        if let entries = ProcFile.countEntries("/proc/self/fd") {
            try collection.gauge("process_open_fds", help: "Number of open file descriptors.", value: Double(entries - 1))
        }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            try collection.gauge(
                "process_max_fds",
                help: "Maximum number of open file descriptors (the soft limit).",
                value: Double(limit.rlim_cur)
            )
        }
    }

    /// Reads `btime`, the boot time in seconds since the epoch, from /proc/stat.
    private static func bootTimeSeconds() -> Int? {
        guard let text = ProcFile.read("/proc/stat") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int(line.dropFirst("btime ".count))
        }
        return nil
    }
}

/// The fields of /proc/self/stat that the process metrics use.
struct ProcessStat: Equatable {
    var userTicks: UInt64
    var systemTicks: UInt64
    var startTicks: UInt64
    var virtualMemoryBytes: UInt64
    var residentPages: UInt64

    /// Parses the line. The second field is the command name in parentheses,
    /// which may itself contain spaces and parentheses, so the fields are
    /// counted from the last `)`: field 3 (`state`) comes first after it.
    init?(_ text: String?) {
        guard let text, let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // proc(5) numbers the fields from 1; fields[0] is field 3.
        func field(_ number: Int) -> UInt64? {
            let index = number - 3
            return index < fields.count ? UInt64(fields[index]) : nil
        }
        guard let user = field(14), let system = field(15), let start = field(22),
              let virtual = field(23), let resident = field(24)
        else { return nil }
        userTicks = user
        systemTicks = system
        startTicks = start
        virtualMemoryBytes = virtual
        residentPages = resident
    }
}

extension MetricsRegistry {
    /// Registers a collector for the process metrics: CPU time, resident and
    /// virtual memory, open and maximum file descriptors, and start time.
    /// `MetricsRegistry.shared` has it already.
    public func registerProcessMetrics() {
        registerCollector { collection in
            try ProcessMetrics.collect(into: &collection)
        }
    }
}
