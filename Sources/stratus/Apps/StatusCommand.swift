import Foundation
import StratusControlPlane
import StratusOrchestrator

/// `stratus status`: the app's services and replicas.
enum StatusCommand {
    static let usage = """
        usage: stratus status [--output table|json] [--control-plane URL] [--app NAME] [--state-dir DIR]

        Shows each service's desired and ready replicas, restarts, rollout and autoscaler,
        and each replica's endpoint, state and health.

          --output FORMAT      table (default) or json, with each replica's id, pid, endpoint,
                               state and restart count
        \(AppTarget.targetUsage)
        """

    static func run(_ arguments: [String]) async {
        let options = CommandOptions(arguments, command: "stratus status", usage: usage, options: [.init(names: ["-o", "--output"])] + AppTarget.targetOptions)
        let format = options.value("--output") ?? "table"
        guard format == "table" || format == "json" else {
            options.usageFailure("invalid --output \(format): expected table or json")
        }
        let target = await AppTarget.resolve(options)
        let status: AppStatus
        do {
            status = try await target.client.status(app: target.app)
        } catch {
            fail("stratus status: \(error)", status: 1)
        }
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try! encoder.encode(status), as: UTF8.self))
        } else {
            print(StatusTable.render(status))
        }
    }
}

/// The text form of an app's status.
enum StatusTable {
    static func render(_ status: AppStatus) -> String {
        var lines = ["app \(status.app) (\(status.phase)); control plane \(status.controlPlane)" + (status.gateway.map { "; gateway \($0)" } ?? ""), ""]
        var services = [["SERVICE", "READY", "AVAILABLE", "UP-TO-DATE", "RESTARTS", "ROLLOUT", "AUTOSCALE"]]
        for service in status.services {
            services.append([
                service.name + (service.crashLooping ? " (crash-looping)" : ""),
                "\(service.readyReplicas)/\(service.desiredReplicas)",
                "\(service.availableReplicas)",
                "\(service.updatedReplicas)",
                "\(service.restarts)",
                service.rollout.complete ? "complete" : "\(service.rollout.updatedAvailable)/\(service.desiredReplicas) updated, \(service.rollout.oldReplicas) old",
                service.autoscale.map { autoscale in
                    let cpu = autoscale.currentCPUPercent.map { "\(Int($0.rounded()))%" } ?? "-"
                    return "\(autoscale.min)-\(autoscale.max) at \(autoscale.targetCPUPercent)% (now \(cpu))"
                } ?? "-",
            ])
        }
        lines += table(services)
        var replicas = [["REPLICA", "PID", "ENDPOINT", "STATE", "READY", "REGISTERED", "RESTARTS", "CPU", "LAST EXIT"]]
        for service in status.services {
            for replica in service.replicas {
                replicas.append([
                    replica.id, replica.pid.map { "\($0)" } ?? "-", replica.endpoint, replica.state, replica.ready ? "yes" : "no",
                    replica.registered ? "yes" : "no", "\(replica.restarts)", replica.cpuPercent.map { "\(Int($0.rounded()))%" } ?? "-",
                    replica.lastExit ?? "-",
                ])
            }
        }
        lines.append("")
        lines += table(replicas)
        let events = status.services.flatMap { service in (service.autoscale?.events ?? []).map { (service.name, $0) } }
        if !events.isEmpty {
            lines += ["", "scaling events:"]
            lines += events.map { "  \($0.1.time)  \($0.0)  \($0.1.from) -> \($0.1.to)  \($0.1.reason)" }
        }
        return lines.joined(separator: "\n")
    }

    /// Aligns rows in columns two spaces apart.
    static func table(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = first.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
