import Foundation
import StratusNet

/// The `stratus` command line: one subcommand per capability.
@main
struct Stratus {
    static let usage = """
        usage: stratus <command> [options]

        commands:
          up              run an app from its app spec (stratus.yaml) on this machine
          down            stop the app that stratus up runs
          status          show the app's services and replicas
          scale           set a service's replica count
          rollout         restart a service's replicas without downtime, or follow a rollout
          logs            print or follow a service's replica logs
          apply           store a changed app spec as the app's desired state
          controlplane    run the control plane: service registry, config center, apps API,
                          event broker and store API
          config          edit, publish, roll back and inspect config-center namespaces
          render          render Kubernetes manifests or a Dockerfile from the app spec
          help            show this text

        Run `stratus <command> --help` for a command's options.
        """

    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first else {
            fail(usage)
        }
        arguments.removeFirst()
        switch command {
        case "controlplane":
            await ControlPlaneCommand.run(arguments)
        case "up":
            await UpCommand.run(arguments)
        case "down":
            await DownCommand.run(arguments)
        case "status":
            await StatusCommand.run(arguments)
        case "scale":
            await ScaleCommand.run(arguments)
        case "rollout":
            await RolloutCommand.run(arguments)
        case "logs":
            await LogsCommand.run(arguments)
        case "apply":
            await ApplyCommand.run(arguments)
        case "render":
            RenderCommand.run(arguments)
        case "--healthcheck":
            await HealthCheckCommand.run()
        case "config":
            await ConfigCommand.run(arguments)
        case "help", "--help", "-h":
            print(usage)
        default:
            fail("stratus: unknown command \(command)\n\n" + usage)
        }
    }
}

/// Writes `message` to standard error and exits with status 2, the
/// convention for a usage error.
func fail(_ message: String, status: Int32 = 2) -> Never {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    FileHandle.standardError.write(Data(line.utf8))
    exit(status)
}
