import Foundation
import StratusControlPlane
import StratusOrchestrator

/// `stratus apply -f stratus.yaml`.
enum ApplyCommand {
    static let usage = """
        usage: stratus apply [-f FILE] [--set KEY=VALUE ...] [--no-build] [--control-plane URL] [--state-dir DIR]

        Validates an app spec, builds its products and stores it in the control plane as the
        app's desired state. The running stratus up starts new services, stops removed ones,
        scales changed replica counts and rolls out changed commands, arguments or environments.

          -f, --file FILE      the app spec (default stratus.yaml)
          --set KEY=VALUE      override one value of the spec; repeat for more
          --no-build           do not run swift build for the spec's products
          --control-plane URL  the control plane (default: the one stratus up started, else
                               $STRATUS_CONTROLPLANE, else http://127.0.0.1:7700)
          --state-dir DIR      where stratus up keeps its state (default .stratus)
        """

    static func run(_ arguments: [String]) async {
        let options = CommandOptions(arguments, command: "stratus apply", usage: usage, options: [
            .init(names: ["-f", "--file"]), .init(names: ["--set"]), .init(names: ["--no-build"], takesValue: false),
            .init(names: ["--control-plane"]), .init(names: ["--state-dir"]),
        ])
        let spec = UpCommand.loadSpec(options.value("--file") ?? "stratus.yaml", overrides: options.all("--set"), command: "stratus apply")
        let stateDirectory = options.value("--state-dir") ?? UpState.defaultDirectory
        if !options.flag("--no-build") {
            do {
                try ProductBuilder(logDirectory: stateDirectory + "/logs", environment: ProcessInfo.processInfo.environment).build(spec) { print($0) }
            } catch {
                fail("stratus apply: \(error)", status: 1)
            }
        }
        let url = options.value("--control-plane")
            ?? UpState.read(stateDirectory: stateDirectory)?.controlPlane
            ?? ProcessInfo.processInfo.environment["STRATUS_CONTROLPLANE"]?.split(separator: ",").first.map(String.init)
            ?? "http://127.0.0.1:7700"
        do {
            let result = try await AppsClient(baseURL: url).apply(spec)
            for service in result.services {
                print("\(service.name): \(service.created ? "created" : "configured"), \(service.replicas) replicas")
            }
        } catch {
            fail("stratus apply: \(error)", status: 1)
        }
    }
}
