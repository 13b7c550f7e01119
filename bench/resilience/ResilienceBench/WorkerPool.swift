import Foundation
import Glibc
import Synchronization

/// A fixed number of threads that each run one job at a time: a job spins
/// for a fixed amount of the thread's CPU time, the stand-in for a
/// request's CPU-bound work. Jobs wait in a FIFO queue without a bound, as
/// in a server without load shedding.
final class WorkerPool: Sendable {
    private let work: UInt64
    private let queue = Mutex<(jobs: [CheckedContinuation<Void, Never>], head: Int)>(([], 0))
    private let available = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - workers: threads, at least 1.
    ///   - work: CPU time per job, measured on CLOCK_THREAD_CPUTIME_ID, so a
    ///     job costs the same CPU however the threads share the cores.
    init(workers: Int, work: Duration) {
        self.work = UInt64(work.components.seconds) * 1_000_000_000 + UInt64(work.components.attoseconds / 1_000_000_000)
        for _ in 0..<max(1, workers) {
            let thread = Thread { [self] in serve() }
            thread.start()
        }
    }

    /// Queues a job and returns when a worker has done it.
    func run() async {
        await withCheckedContinuation { continuation in
            queue.withLock { $0.jobs.append(continuation) }
            available.signal()
        }
    }

    private func serve() {
        while true {
            available.wait()
            let job = queue.withLock { queue -> CheckedContinuation<Void, Never> in
                let job = queue.jobs[queue.head]
                queue.head += 1
                if queue.head > 4_096 && queue.head * 2 > queue.jobs.count {
                    queue.jobs.removeFirst(queue.head)
                    queue.head = 0
                }
                return job
            }
            spin()
            job.resume()
        }
    }

    private func spin() {
        let end = threadCPUTime() + work
        while threadCPUTime() < end {}
    }

    private func threadCPUTime() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
