import Foundation
import StratusConfig
import StratusControlPlane
import StratusNet
import StratusStore
import StratusLog
import StratusTelemetry

/// `stratus controlplane`: serves the registry, the config center and the
/// store API until SIGINT or SIGTERM.
enum ControlPlaneCommand {
    static let usage = """
        usage: stratus controlplane [--store SPEC] [--listen ADDRESS:PORT] [--no-health-checks]
                                    [--events-dir DIR] [--events-sync full|normal]
                                    [--events-max-age SECONDS] [--events-max-bytes BYTES]
        usage: stratus controlplane [--store SPEC] [--listen ADDRESS:PORT] [--no-health-checks] [--secret-key-file FILE]
          --store SPEC      embedded (default; data in .stratus/), embedded:DIR,
                            memory (nothing kept on disk), or
                            etcd://HOST:PORT[,HOST:PORT...] for an etcd cluster
          --events-dir DIR  directory of the embedded event broker's database
                            (default DIR/events for embedded:DIR, in memory for
                            memory, off for etcd, where NATS is the broker)
          --events-sync MODE
                            full (default): a publish or ack returns after an
                            fsync; normal: it survives a crash of this process
                            but not of the machine
          --events-max-age SECONDS, --events-max-bytes BYTES
                            retention per topic (default 7 days and 256 MiB)
          --listen ADDRESS  address and port to serve on (default 127.0.0.1:7700;
                            port 0 picks a free port, printed at start)
          --no-health-checks
                            never run the active health checker on this replica
                            (by default one elected replica probes the instances
                            that declare a health check)
          --secret-key-file FILE
                            the 32-byte key (base64 or hex) that encrypts the config
                            center's secret values; STRATUS_CONFIG_KEY holds the key
                            when this is absent. Without either, secrets are rejected
        STRATUS_LOG_LEVEL and STRATUS_LOG_FORMAT (json or console) set the log level and format.
        """

    static func run(_ arguments: [String]) async {
        var configuration = ControlPlane.Configuration()
        do {
            try parse(arguments, into: &configuration)
            if configuration.secretKey == nil {
                configuration.secretKey = try SecretKey.fromEnvironment(ProcessInfo.processInfo.environment)
            }
            try Telemetry.bootstrapLogging(level: .info)
        } catch let error as StoreError {
            fail("stratus controlplane: \(error.message)\n\n" + usage)
        } catch let error as ConfigCenterError {
            fail("stratus controlplane: \(error.message)\n\n" + usage)
        } catch {
            fail("stratus controlplane: \(error)\n\n" + usage)
        }
        let controlPlane: ControlPlane
        do {
            controlPlane = try ControlPlane(configuration: configuration)
            try await controlPlane.start()
        } catch {
            fail("stratus controlplane: cannot start: \(error)", status: 1)
        }
        print("stratus controlplane listening on http://\(controlPlane.localAddress!) (store \(configuration.store))")
        fflush(nil)
        _ = await TerminationSignal.wait()
        await controlPlane.shutdown()
    }

    static func parse(_ arguments: [String], into configuration: inout ControlPlane.Configuration) throws {
        var events = EventOptions()
        defer { configuration.events = events.configuration(for: configuration.store) }
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            if name == "--help" || name == "-h" {
                print(usage)
                exit(0)
            }
            if name == "--no-health-checks" {
                configuration.healthChecks = false
                continue
            }
            guard let value = iterator.next() else {
                throw UsageError("missing value for \(name)")
            }
            switch name {
            case "--store":
                configuration.store = try StoreSpec(parsing: value)
            case "--listen":
                (configuration.host, configuration.port) = try parseListen(value)
            case "--events-dir", "--events-sync", "--events-max-age", "--events-max-bytes":
                try events.parse(name, value)
            case "--secret-key-file":
                configuration.secretKey = try SecretKey.load(file: value)
            default:
                throw UsageError("unknown option \(name)")
            }
        }
    }

    /// Splits `ADDRESS:PORT`, with brackets around an IPv6 address.
    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw UsageError("invalid --listen \(text): expected ADDRESS:PORT, such as 127.0.0.1:7700, with a port from 0 to 65535")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty else {
            throw UsageError("invalid --listen \(text): missing address before the port")
        }
        return (host, port)
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
