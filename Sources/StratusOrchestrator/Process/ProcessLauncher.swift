import CStratusLinux
import Glibc

/// Starts replica processes: each in a process group of its own, with its
/// standard output and error on one pipe, no other inherited descriptors,
/// default signal handling and its own working directory.
///
/// A process group of its own means that Ctrl-C in the terminal reaches only
/// `stratus up`, which then stops the replicas in order, and that signals
/// sent to the group also reach the processes the replica started.
enum ProcessLauncher {
    /// A program to start, with its arguments, environment and directory.
    struct Command: Sendable {
        /// The program: a path, or a name looked up in PATH.
        var executable: String
        var arguments: [String]
        /// The whole environment of the process, as `NAME=value` entries.
        var environment: [String]
        var workingDirectory: String
    }

    /// A started process and the read end of its output pipe.
    struct Started: Sendable {
        var pid: pid_t
        var output: Int32
    }

    /// Starts `command`; the caller owns the returned descriptor.
    /// - Throws: `OrchestratorError` naming the program and the system's reason.
    static func start(_ command: Command) throws(OrchestratorError) -> Started {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else {
            throw OrchestratorError("cannot create a pipe for \(command.executable): \(String(cString: strerror(errno)))")
        }
        // Children started later must not inherit the pipe, or the reader
        // would not see end of file when this replica exits.
        _ = fcntl(descriptors[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(descriptors[1], F_SETFD, FD_CLOEXEC)
        defer { close(descriptors[1]) }
        do {
            let pid = try spawn(command, output: descriptors[1])
            return Started(pid: pid, output: descriptors[0])
        } catch {
            close(descriptors[0])
            throw error
        }
    }

    private static func spawn(_ command: Command, output: Int32) throws(OrchestratorError) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        // The orchestrator ignores SIGINT and SIGTERM and its threads block
        // signals; a child would inherit both across exec without these.
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&files, output, 1)
        posix_spawn_file_actions_adddup2(&files, output, 2)
        cstratus_spawn_change_directory(&files, command.workingDirectory)
        cstratus_spawn_close_from(&files, 3)

        var pid: pid_t = 0
        var arguments = ([command.executable] + command.arguments).map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var environment = command.environment.map { strdup($0) } + [nil]
        defer { environment.forEach { free($0) } }
        let result = command.executable.contains("/")
            ? posix_spawn(&pid, command.executable, &files, &attributes, &arguments, &environment)
            : posix_spawnp(&pid, command.executable, &files, &attributes, &arguments, &environment)
        guard result == 0 else {
            throw OrchestratorError(
                "cannot start \(command.executable) in \(command.workingDirectory): \(String(cString: strerror(result))); check the service's product or command"
            )
        }
        return pid
    }
}
