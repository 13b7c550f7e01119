import Foundation
import StratusNet

/// The `stratus` command line: one subcommand per capability.
@main
struct Stratus {
    static let usage = """
        usage: stratus <command> [options]

        commands:
          controlplane    run the control plane: service registry and store API
          gateway         run the API gateway: routing, traffic policy, admin API
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
        case "gateway":
            await GatewayCommand.run(arguments)
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
