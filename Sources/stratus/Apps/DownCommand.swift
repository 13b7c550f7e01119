import Foundation
import Glibc
import StratusOrchestrator

/// `stratus down`: deletes the app, which makes `stratus up` stop it.
enum DownCommand {
    static let usage = """
        usage: stratus down [--timeout DURATION] [--control-plane URL] [--app NAME] [--state-dir DIR]

        Deletes the app from the control plane. The `stratus up` that runs it stops the
        gateway, then the services (SIGTERM, SIGKILL after each service's grace period),
        then the control plane, and exits. Waits until it has.

          --timeout DURATION   how long to wait for stratus up to exit, such as 90s (default 2m)
        \(AppTarget.targetUsage)
        """

    static func run(_ arguments: [String]) async {
        let options = CommandOptions(arguments, command: "stratus down", usage: usage, options: [.init(names: ["--timeout"])] + AppTarget.targetOptions)
        let timeout = options.duration("--timeout") ?? .seconds(120)
        let target = await AppTarget.resolve(options)
        do {
            try await target.client.delete(app: target.app)
        } catch {
            fail("stratus down: \(error)", status: 1)
        }
        print("stopping \(target.app)")
        guard let pid = target.upState?.pid else { return }
        let deadline = ContinuousClock.now + timeout
        while isRunning(pid) {
            guard ContinuousClock.now < deadline else {
                fail("stratus down: stratus up (pid \(pid)) still runs after \(timeout); it may be waiting for replicas to exit", status: 1)
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        print("stopped \(target.app)")
    }

    /// Returns whether the process exists and has not exited. A zombie,
    /// which its parent has not reaped yet, has exited.
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }
}
