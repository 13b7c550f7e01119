import Dispatch
import Glibc
import Synchronization

/// SIGINT and SIGTERM, the signals a process manager (a terminal, systemd,
/// Kubernetes, the Stratus orchestrator) sends to stop a process.
public enum TerminationSignal {
    /// Suspends until SIGINT or SIGTERM arrives and returns its number.
    ///
    /// From the first call on, both signals are ignored by default and only
    /// wake this wait, so the process stops in its own time. Later signals
    /// after the first are ignored.
    public static func wait() async -> Int32 {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        return await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let once = ResumeOnce(continuation)
            sources.withLock { sources in
                for number in [SIGINT, SIGTERM] {
                    let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                    source.setEventHandler { once.resume(number) }
                    source.resume()
                    sources.append(source)
                }
            }
        }
    }

    private static let queue = DispatchQueue(label: "stratus.termination-signal")
    /// The signal sources, kept so they stay alive.
    private static let sources = Mutex<[any DispatchSourceSignal]>([])
}

/// Resumes a continuation once, however many signals arrive.
private final class ResumeOnce: @unchecked Sendable {
    // Touched only on the serial signal queue.
    private var continuation: CheckedContinuation<Int32, Never>?

    init(_ continuation: CheckedContinuation<Int32, Never>) {
        self.continuation = continuation
    }

    func resume(_ number: Int32) {
        continuation?.resume(returning: number)
        continuation = nil
    }
}
