import Foundation
package import CStratusLinux
import Glibc
import Synchronization

/// Starts and reaps the server processes that tests run, and stops the ones
/// still running when the test process exits (such as the etcd that the
/// whole run shares).
///
/// Foundation's `Process` is not used because its `waitUntilExit` spins when
/// called off the main thread.
package enum ChildProcess {
    private struct Child {
        var directory: String
        var reaped = false
    }

    private static let children = Mutex<[pid_t: Child]>([:])
    private static let exitHandler: Void = {
        atexit { ChildProcess.stopAllAtExit() }
    }()

    /// Starts `arguments[0]` with an empty signal mask and default signal
    /// actions, its output appended to `logPath` and its input from
    /// /dev/null. The mask matters: the test process's threads block
    /// signals, a child inherits the mask across exec, and would then
    /// ignore SIGTERM.
    ///
    /// - Parameter outputPipe: when set, the pipe descriptors (read, write)
    ///   that the child's standard output goes to instead; its standard error
    ///   still goes to `logPath`.
    /// - Parameter environment: variables to set in the child on top of
    ///   this process's environment.
    package static func spawn(
        _ arguments: [String],
        logPath: String,
        outputPipe: (read: Int32, write: Int32)? = nil,
        environment: [String: String] = [:]
    ) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0)
        if let outputPipe {
            posix_spawn_file_actions_adddup2(&files, outputPipe.write, 1)
            posix_spawn_file_actions_addopen(&files, 2, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_addopen(&files, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_adddup2(&files, 1, 2)
        }
        // Other tests in this process hold sockets without close-on-exec; a
        // child holding one would keep its peer from seeing the close.
        cstratus_spawn_close_from(&files, 3)

        var pid: pid_t = 0
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var cEnvironment = childEnvironment(adding: environment).map { strdup($0) } + [nil]
        defer { cEnvironment.forEach { free($0) } }
        let result = posix_spawn(&pid, arguments[0], &files, &attributes, &cArguments, &cEnvironment)
        guard result == 0 else {
            throw EtcdPeerError(description: "cannot start \(arguments[0]): errno \(result)")
        }
        return pid
    }

    /// Returns this process's environment as `NAME=value` entries, with
    /// `overrides` replacing or adding variables.
    private static func childEnvironment(adding overrides: [String: String]) -> [String] {
        var entries: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if overrides[name] == nil {
                entries.append(text)
            }
            entry += 1
        }
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) {
            entries.append("\(name)=\(value)")
        }
        return entries
    }

    /// Records a child so that it is stopped, and `directory` removed, if
    /// it still runs when the test process exits.
    package static func registerForExit(pid: pid_t, directory: String) {
        _ = exitHandler
        children.withLock { $0[pid] = Child(directory: directory) }
    }

    package static func forget(pid: pid_t) {
        _ = children.withLock { $0.removeValue(forKey: pid) }
    }

    /// Returns whether the child still runs, and reaps it when it has exited.
    package static func isRunning(_ pid: pid_t) -> Bool {
        children.withLock { children in
            if children[pid]?.reaped == true { return false }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == 0 { return true }
            children[pid]?.reaped = true
            return false
        }
    }

    /// Polls until the child has exited, for at most `limit`, and returns
    /// whether it did.
    @discardableResult
    package static func reap(_ pid: pid_t, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if !isRunning(pid) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !isRunning(pid)
    }

    /// Runs from `atexit`: SIGTERM, up to three seconds to exit, then SIGKILL.
    private static func stopAllAtExit() {
        let remaining = children.withLock { children in
            defer { children = [:] }
            return children.filter { !$0.value.reaped }
        }
        for pid in remaining.keys {
            kill(pid, SIGTERM)
        }
        for (pid, child) in remaining {
            var status: Int32 = 0
            var exited = false
            for _ in 0..<300 where !exited {
                exited = waitpid(pid, &status, WNOHANG) != 0
                if !exited { usleep(10_000) }
            }
            if !exited {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
            }
            try? FileManager.default.removeItem(atPath: child.directory)
        }
    }
}
