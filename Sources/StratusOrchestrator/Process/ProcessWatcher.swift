import Foundation
import Glibc

/// Waits for a process to exit on a thread of its own, cleans up its
/// process group and reaps it.
///
/// The process is left unreaped (a zombie) until the rest of its group has
/// been sent SIGKILL, so its id, which is also the group's id, cannot be
/// reused for another process in between.
enum ProcessWatcher {
    /// Calls `onExit` once the process `pid`, the leader of its own group, has
    /// exited and been reaped.
    static func watch(_ pid: pid_t, onExit: @escaping @Sendable (ProcessExit) -> Void) {
        let thread = Thread {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
            // Processes the replica started and left behind.
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            onExit(ProcessExit(waitStatus: status))
        }
        thread.name = "stratus-wait-\(pid)"
        thread.start()
    }

    /// Returns whether any process of the group `pgid` is alive (zombies
    /// included).
    static func groupExists(_ pgid: pid_t) -> Bool {
        kill(-pgid, 0) == 0 || errno == EPERM
    }
}
