import Foundation
import Glibc
import StratusAppSpec
import StratusControlPlane

extension AppSupervisor {
    /// Starts the replica's process on a new port and begins probing it. A
    /// replica that cannot start is handled as one that exited at once.
    func launch(_ id: String, now: ContinuousClock.Instant) {
        guard var replica = replicas[id], let service = spec?.service(named: replica.service) else { return }
        do {
            replica.port = try PortAllocator.freePort()
            let command = try launchCommand(for: service, replica: replica)
            let started = try ProcessLauncher.start(command)
            OutputPump.note("stratus: started pid \(started.pid) on port \(replica.port), template \(replica.template)", toLog: logPath(for: id))
            OutputPump.start(reading: started.output, to: OutputPump.Destination(
                logPath: logPath(for: id), terminal: configuration.terminal, name: id, color: colorIndex(of: replica.service)
            ))
            replica.pid = started.pid
            replica.phase = .running
            replica.startedAt = now
            replica.ready = false
            replica.everReady = false
            replica.readinessFailures = 0
            replica.livenessFailures = 0
            replica.registered = false
            replica.livenessKillAt = nil
            replica.killed = false
            replica.cpuSample = nil
            replica.cpuPercent = nil
            replicas[id] = replica
            let pid = started.pid
            ProcessWatcher.watch(pid) { exit in
                Task { await self.processExited(id, pid: pid, exit: exit) }
            }
            startProbing(id, pid: pid, service: service)
        } catch {
            replicas[id] = replica
            recordCrash(id, reason: "failed to start: \(error)", exit: "failed to start", now: now)
        }
    }

    /// Returns the program, arguments, environment and directory of a replica.
    private func launchCommand(for service: ServiceSpec, replica: Replica) throws(OrchestratorError) -> ProcessLauncher.Command {
        guard let spec else { throw OrchestratorError("the app has no spec") }
        let executable: String
        if let command = service.command {
            executable = command
        } else if let product = service.product {
            let package = spec.build.packagePath ?? FileManager.default.currentDirectoryPath
            executable = "\(package)/.build/\(spec.build.configuration.rawValue)/\(product)"
        } else {
            throw OrchestratorError("service \(service.name) has neither product nor command")
        }
        var environment = configuration.environment
        environment.merge(service.environment) { _, service in service }
        environment["PORT"] = "\(replica.port)"
        environment["STRATUS_CONTROLPLANE"] = configuration.controlPlaneURL
        environment["STRATUS_INSTANCE_ID"] = replica.id
        return ProcessLauncher.Command(
            executable: executable,
            arguments: service.arguments,
            environment: environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
            workingDirectory: service.workingDirectory ?? FileManager.default.currentDirectoryPath
        )
    }

    /// Handles the exit of a replica's process: the end of a removal, or a
    /// crash that gets the replica restarted after a back-off.
    func processExited(_ id: String, pid: pid_t, exit: ProcessExit) async {
        guard let replica = replicas[id], replica.pid == pid else { return }
        replicas[id]?.pid = nil
        replicas[id]?.ready = false
        replicas[id]?.lastExit = exit.description
        OutputPump.note("stratus: pid \(pid) ended with \(exit)", toLog: logPath(for: id))
        if spec?.service(named: replica.service)?.registers ?? true {
            // The registration would live until its lease expires; callers
            // must stop picking this endpoint now.
            _ = try? await registry.deregister(service: replica.service, id: id)
        }
        guard let current = replicas[id], current.pid == nil else { return }
        if current.isLeaving || stopping {
            retire(id)
            return
        }
        recordCrash(id, reason: "exited with \(exit)", exit: exit.description, now: .now)
        reconcile()
    }

    /// Forgets a replica that has no process, keeping its restart count.
    func retire(_ id: String) {
        guard let replica = replicas.removeValue(forKey: id) else { return }
        retiredRestarts[replica.service, default: 0] += replica.restarts
    }

    /// Counts a crash and schedules the restart after the back-off.
    /// - Parameters:
    ///   - reason: what happened, for the terminal, such as `exited with exit status 3`.
    ///   - exit: the status shows it as the last exit.
    func recordCrash(_ id: String, reason: String, exit: String, now: ContinuousClock.Instant) {
        guard var replica = replicas[id] else { return }
        if let startedAt = replica.startedAt, now - startedAt >= configuration.backoff.stableRun {
            replica.consecutiveCrashes = 0
            replica.backoffDelays = []
        }
        replica.consecutiveCrashes += 1
        replica.restarts += 1
        let delay = configuration.backoff.delay(afterCrashes: replica.consecutiveCrashes)
        replica.backoffDelays.append(delay)
        replica.phase = .waiting(until: now + delay)
        replica.ready = false
        replica.registered = false
        replica.lastExit = exit
        replicas[id] = replica
        let looping = replica.consecutiveCrashes >= 2 ? " (crash-looping)" : ""
        announce("\(id) \(reason); restarting in \(Self.format(delay))\(looping)")
    }

    private func colorIndex(of service: String) -> Int {
        (spec?.services.firstIndex { $0.name == service } ?? 0) + 1
    }

    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
