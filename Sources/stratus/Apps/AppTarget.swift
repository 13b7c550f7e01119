import Foundation
import StratusOrchestrator

/// The control plane and app a command talks to: `--control-plane URL`
/// and `--app NAME` when given, otherwise the app that `stratus up` records
/// in `<state-dir>/up.json`, otherwise STRATUS_CONTROLPLANE or
/// http://127.0.0.1:7700 and the only app there.
struct AppTarget {
    var client: AppsClient
    var app: String
    var upState: UpState?

    static let targetOptions: [CommandOptions.Option] = [
        .init(names: ["--control-plane"]), .init(names: ["--app"]), .init(names: ["--state-dir"]),
    ]

    static let targetUsage = """
          --control-plane URL  the control plane (default: the one `stratus up` started in
                               this directory, else $STRATUS_CONTROLPLANE, else http://127.0.0.1:7700)
          --app NAME           the app (default: the one `stratus up` runs, else the only app)
          --state-dir DIR      where `stratus up` keeps its state (default .stratus)
        """

    static func resolve(_ options: CommandOptions) async -> AppTarget {
        let stateDirectory = options.value("--state-dir") ?? UpState.defaultDirectory
        let upState = UpState.read(stateDirectory: stateDirectory)
        let url = options.value("--control-plane")
            ?? upState?.controlPlane
            ?? ProcessInfo.processInfo.environment["STRATUS_CONTROLPLANE"]?.split(separator: ",").first.map(String.init)
            ?? "http://127.0.0.1:7700"
        let client = AppsClient(baseURL: url)
        if let app = options.value("--app") ?? upState?.app {
            return AppTarget(client: client, app: app, upState: upState)
        }
        do {
            let apps = try await client.apps()
            guard apps.count == 1 else {
                fail("\(options.command): the control plane at \(url) has \(apps.count) apps (\(apps.joined(separator: ", "))); pick one with --app", status: 1)
            }
            return AppTarget(client: client, app: apps[0], upState: upState)
        } catch {
            fail("\(options.command): \(error)", status: 1)
        }
    }
}
