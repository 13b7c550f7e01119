import StratusControlPlane
import StratusOrchestrator

/// `stratus rollout restart|status SERVICE`.
enum RolloutCommand {
    static let usage = """
        usage: stratus rollout restart SERVICE [--wait] [--timeout DURATION] [target options]
               stratus rollout status SERVICE [--timeout DURATION] [target options]

        restart  replaces every replica of the service, a few at a time within the service's
                 rollout.maxSurge and rollout.maxUnavailable: a new replica must be ready and
                 registered before an old one is marked DRAINING, removed from routing and
                 sent SIGTERM. With --wait, waits for the rollout to complete.
        status   waits until the service's rollout is complete, printing its progress.

          --wait               (restart) wait for the rollout to complete
          --timeout DURATION   how long to wait, such as 90s (default 5m); exit status 1 when it passes
        \(AppTarget.targetUsage)
        """

    static func run(_ arguments: [String]) async {
        guard let action = arguments.first, action == "restart" || action == "status" else {
            let problem = arguments.first.map { $0 == "--help" || $0 == "-h" ? "" : "unknown action \($0)" } ?? "missing action restart or status"
            if problem.isEmpty {
                print(usage)
                return
            }
            fail("stratus rollout: \(problem); run `stratus rollout --help` for usage")
        }
        let options = CommandOptions(
            Array(arguments.dropFirst()), command: "stratus rollout \(action)", usage: usage,
            options: [.init(names: ["--wait"], takesValue: false), .init(names: ["--timeout"])] + AppTarget.targetOptions,
            argumentNames: ["SERVICE"]
        )
        let service = options.arguments[0]
        let timeout = options.duration("--timeout") ?? .seconds(300)
        let target = await AppTarget.resolve(options)
        if action == "restart" {
            do {
                let deployment = try await target.client.restart(app: target.app, service: service)
                print("\(service) restarting (restartedAt \(deployment.restartedAt ?? "-"))")
            } catch {
                fail("stratus rollout restart: \(error)", status: 1)
            }
            guard options.flag("--wait") else { return }
        }
        await waitForRollout(target, service: service, timeout: timeout, command: options.command)
    }

    /// Polls the status until the service's rollout is complete.
    private static func waitForRollout(_ target: AppTarget, service: String, timeout: Duration, command: String) async {
        let deadline = ContinuousClock.now + timeout
        var lastLine = ""
        // A rollout just requested shows as complete until the orchestrator
        // has seen it; the first polls wait for a status newer than the request.
        try? await Task.sleep(for: .milliseconds(300))
        while true {
            do {
                let status = try await target.client.status(app: target.app)
                guard let current = status.services.first(where: { $0.name == service }) else {
                    fail("\(command): app \(target.app) has no service named \(service)", status: 1)
                }
                let rollout = current.rollout
                let line = "\(service): \(rollout.updatedAvailable) of \(current.desiredReplicas) updated replicas available, \(rollout.oldReplicas) old replicas remaining"
                if line != lastLine {
                    print(line)
                    lastLine = line
                }
                if rollout.complete {
                    print("\(service): rollout complete")
                    return
                }
            } catch {
                fail("\(command): \(error)", status: 1)
            }
            guard ContinuousClock.now < deadline else {
                fail("\(command): the rollout of \(service) did not complete within \(timeout)", status: 1)
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
