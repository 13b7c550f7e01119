import StratusControlPlane
import StratusOrchestrator

/// `stratus scale SERVICE --replicas N`.
enum ScaleCommand {
    static let usage = """
        usage: stratus scale SERVICE --replicas N [--control-plane URL] [--app NAME] [--state-dir DIR]

        Sets a service's desired replica count. The orchestrator starts or drains replicas
        to match; an autoscaler, when the service has one, changes the count again at its
        next sync.

          --replicas N         the desired count, 0 to 1000 (required)
        \(AppTarget.targetUsage)
        """

    static func run(_ arguments: [String]) async {
        let options = CommandOptions(
            arguments, command: "stratus scale", usage: usage, options: [.init(names: ["--replicas"])] + AppTarget.targetOptions,
            argumentNames: ["SERVICE"]
        )
        guard let text = options.value("--replicas") else {
            options.usageFailure("missing --replicas N")
        }
        guard let replicas = Int(text), (0...1000).contains(replicas) else {
            options.usageFailure("invalid --replicas \(text): expected a count from 0 to 1000")
        }
        let target = await AppTarget.resolve(options)
        let service = options.arguments[0]
        do {
            let deployment = try await target.client.scale(app: target.app, service: service, replicas: replicas)
            print("\(service) scaled to \(deployment.replicas) replicas")
        } catch {
            fail("stratus scale: \(error)", status: 1)
        }
    }
}
