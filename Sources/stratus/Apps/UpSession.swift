import Foundation
import Glibc
import StratusAppSpec
import StratusControlPlane
import StratusLog
import StratusNet
import StratusOrchestrator

/// One run of `stratus up`: the control plane, the gateway and the
/// supervisor, started in that order and stopped in the reverse one.
struct UpSession {
    let spec: AppSpec
    let stateDirectory: String
    let terminal: TerminalOutput
    let backoff: CrashBackoff

    func run() async {
        let controlPlane = await startControlPlane()
        let controlPlaneURL = "http://\(controlPlane.localAddress!)"
        do {
            _ = try await AppRepository(store: controlPlane.store).apply(spec)
        } catch {
            await controlPlane.shutdown()
            fail("stratus up: cannot store the app spec: \(error)", status: 1)
        }

        var configuration = AppSupervisor.Configuration(app: spec.name, stateDirectory: stateDirectory, controlPlaneURL: controlPlaneURL)
        configuration.terminal = terminal
        configuration.backoff = backoff
        configuration.logger = Logger(label: "stratus.orchestrator")
        let supervisor = AppSupervisor(configuration: configuration, store: controlPlane.store, registry: controlPlane.registry)
        do {
            try await supervisor.start()
        } catch {
            await controlPlane.shutdown()
            fail("stratus up: \(error)", status: 1)
        }

        let gateway = spec.gateway.map { GatewayRunner(spec: $0, app: spec.name, stateDirectory: stateDirectory, controlPlaneURL: controlPlaneURL, terminal: terminal, supervisor: supervisor, backoff: backoff) }
        await gateway?.start()
        let state = UpState(app: spec.name, pid: getpid(), controlPlane: controlPlaneURL, gateway: gateway?.url)
        try? state.write(stateDirectory: stateDirectory)

        let banner = Task {
            await supervisor.waitUntilAvailable()
            terminal.announce(readyBanner(controlPlane: controlPlaneURL, gateway: await supervisor.status().gateway))
        }

        let reason = await waitForStop(supervisor)
        banner.cancel()
        terminal.write("stopping (\(reason)): gateway, then services, then the control plane", from: "stratus", color: 0)
        await gateway?.stop()
        await supervisor.shutdown()
        await controlPlane.shutdown(gracePeriod: .seconds(1))
        UpState.remove(stateDirectory: stateDirectory)
        terminal.write("stopped", from: "stratus", color: 0)
    }

    private func startControlPlane() async -> ControlPlane {
        let listen = ListenAddress(parsing: spec.controlPlane.listen)!
        let store: StoreSpec = switch spec.controlPlane.store {
        case "memory": .memory
        case "embedded": .embedded(directory: stateDirectory)
        default: .embedded(directory: String(spec.controlPlane.store.dropFirst("embedded:".count)))
        }
        var configuration = ControlPlane.Configuration(store: store)
        configuration.host = listen.host
        configuration.port = listen.port
        do {
            let controlPlane = try ControlPlane(configuration: configuration)
            try await controlPlane.start()
            return controlPlane
        } catch {
            fail("stratus up: cannot start the control plane on \(spec.controlPlane.listen): \(error)", status: 1)
        }
    }

    /// Waits for Ctrl-C, SIGTERM or the app's deletion by `stratus down`.
    /// The wait that loses keeps waiting until the process exits.
    private func waitForStop(_ supervisor: AppSupervisor) async -> String {
        let (reasons, continuation) = AsyncStream<String>.makeStream()
        Task {
            let signal = await TerminationSignal.wait()
            continuation.yield(signal == SIGINT ? "interrupted" : "terminated")
        }
        Task {
            await supervisor.waitUntilDeleted()
            continuation.yield("stratus down")
        }
        for await reason in reasons {
            return reason
        }
        return "stopped"
    }

    private func readyBanner(controlPlane: String, gateway: String?) -> String {
        var lines = ["", "\(spec.name) is ready."]
        if let gateway {
            lines.append("  gateway        \(gateway)")
        }
        lines.append("  control plane  \(controlPlane)")
        lines += [
            "",
            "  stratus status                          replicas, readiness and restarts",
            "  stratus logs SERVICE -f                 follow a service's logs",
            "  stratus scale SERVICE --replicas N      change a service's replica count",
            "  stratus rollout restart SERVICE         replace a service's replicas without downtime",
            "  stratus down                            stop everything (or press Ctrl-C)",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
