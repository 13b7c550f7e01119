import CStratusLinux
import Glibc
import Synchronization

/// One thread that waits on epoll and runs everything bound to it: socket
/// readiness handlers, timers, closures and Swift tasks.
///
/// `EventLoop` is a `TaskExecutor`. A task started with the loop as its executor
/// preference (`Task(executorPreference: loop)`) runs its nonisolated code on the
/// loop thread. A request handler and the connection it serves thus share one
/// thread, and no request hops to the global pool.
///
/// Thread safety: `execute(_:)`, `enqueue(_:)`, `inEventLoop` and `stop()` may
/// be called from any thread. Everything else (registration, timers, flush
/// callbacks, the read buffer) belongs to the loop thread and traps in debug
/// builds when called elsewhere.
public final class EventLoop: TaskExecutor, @unchecked Sendable {
    // MARK: Immutable after init

    /// The loop's position in its group, for logs and metrics.
    public let index: Int
    private let epoll: Int32
    private let wakeup: Int32
    private let maxEventsPerWait: Int32 = 256

    // MARK: Guarded by `remote`

    private struct RemoteQueue {
        var jobs: [UnownedJob] = []
        var closures: [@Sendable () -> Void] = []
        /// True while a wake-up write is outstanding, so bursts of cross-thread
        /// submissions cost one eventfd write.
        var wakeupPending = false
        var stopping = false
    }

    private let remote = Mutex(RemoteQueue())

    // MARK: Set once by the loop thread, read from any thread

    private let threadID = Atomic<UInt>(0)

    // MARK: Loop thread only

    private var registrations: [(any Selectable)?] = []
    private var localJobs: [UnownedJob] = []
    private var localClosures: [() -> Void] = []
    private var timers = TimerHeap()
    private var tickEndActions: [() -> Void] = []
    private var cachedNow: UInt64 = 0

    /// A 64 KiB buffer that readiness handlers read sockets into. Its contents are
    /// valid only until the handler returns, so one buffer serves every connection.
    public let readBuffer: UnsafeMutableRawBufferPointer

    init(index: Int) throws(SystemError) {
        self.index = index
        epoll = try System.blockingCall("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do {
            wakeup = try System.blockingCall("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
        } catch {
            System.close(epoll)
            throw error
        }
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        var event = cstratus_epoll_event_make(wakeup, EventMask.readable.rawValue)
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
    }

    deinit {
        System.close(wakeup)
        System.close(epoll)
        readBuffer.deallocate()
    }

    /// Whether the caller runs on this loop's thread.
    @inline(__always)
    public var inEventLoop: Bool {
        threadID.load(ordering: .relaxed) == UInt(pthread_self())
    }

    /// The loop whose thread is calling, or nil off any loop thread.
    public static var current: EventLoop? {
        guard let pointer = pthread_getspecific(currentLoopKey) else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(pointer).takeUnretainedValue()
    }

    @inline(__always)
    func assertInEventLoop(_ function: StaticString = #function) {
        assert(inEventLoop, "\(function) must be called on event loop \(index)")
    }

    // MARK: Submitting work

    /// Runs `work` on the loop thread: after the current callback when called on
    /// the loop, otherwise after waking the loop.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        if inEventLoop {
            localClosures.append(work)
            return
        }
        submitRemote { $0.closures.append(work) }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        if inEventLoop {
            localJobs.append(unowned)
            return
        }
        submitRemote { $0.jobs.append(unowned) }
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    private func submitRemote(_ add: (inout RemoteQueue) -> Void) {
        let mustWake = remote.withLock { queue -> Bool in
            add(&queue)
            guard !queue.wakeupPending else { return false }
            queue.wakeupPending = true
            return true
        }
        if mustWake {
            var one: UInt64 = 1
            _ = Glibc.write(wakeup, &one, 8)
        }
    }

    // MARK: Registration (loop thread)

    package func register(_ descriptor: Int32, interest: EventMask, handler: any Selectable) throws(SystemError) {
        assertInEventLoop()
        let slot = Int(descriptor)
        if slot >= registrations.count {
            registrations.append(contentsOf: repeatElement(nil, count: slot - registrations.count + 64))
        }
        registrations[slot] = handler
        var event = cstratus_epoll_event_make(descriptor, interest.rawValue)
        do {
            try System.blockingCall("epoll_ctl(ADD, fd \(descriptor))") { epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) }
        } catch {
            registrations[slot] = nil
            throw error
        }
    }

    package func modify(_ descriptor: Int32, interest: EventMask) {
        assertInEventLoop()
        var event = cstratus_epoll_event_make(descriptor, interest.rawValue)
        _ = epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event)
    }

    /// Removes the descriptor from epoll. Call before closing it.
    package func deregister(_ descriptor: Int32) {
        assertInEventLoop()
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
        let slot = Int(descriptor)
        if slot < registrations.count {
            registrations[slot] = nil
        }
    }

    // MARK: Timers and tick-end actions (loop thread)

    /// The monotonic time at the start of the current loop iteration, in
    /// nanoseconds. Cheaper than reading the clock for every request.
    public var now: UInt64 {
        assertInEventLoop()
        return cachedNow
    }

    /// Runs `action` on the loop at `deadline` (monotonic nanoseconds); returns an
    /// id for `cancelTimer`.
    @discardableResult
    public func scheduleTimer(at deadline: UInt64, _ action: @escaping () -> Void) -> UInt64 {
        assertInEventLoop()
        return timers.schedule(at: deadline, action)
    }

    @discardableResult
    public func scheduleTimer(after delay: Duration, _ action: @escaping () -> Void) -> UInt64 {
        scheduleTimer(at: MonotonicClock.now() &+ delay.nanoseconds, action)
    }

    public func cancelTimer(_ id: UInt64) {
        assertInEventLoop()
        timers.cancel(id)
    }

    /// Runs `action` once at the end of the current iteration, after every ready
    /// callback and task has run. Connections flush their output there, so the
    /// responses to pipelined requests leave in one write.
    public func atTickEnd(_ action: @escaping () -> Void) {
        assertInEventLoop()
        tickEndActions.append(action)
    }

    // MARK: Running

    /// Starts the loop on a new thread and returns once it runs.
    func startThread() throws(SystemError) {
        let box = Unmanaged.passRetained(ThreadStart(loop: self))
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let start = Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue()
            start.loop.run()
            return nil
        }, box.toOpaque())
        guard result == 0 else {
            box.release()
            throw SystemError(call: "pthread_create", errno: result)
        }
        pthread_detach(thread)
        while threadID.load(ordering: .acquiring) == 0 {
            sched_yield()
        }
    }

    /// Stops the loop after the current iteration. Registered descriptors are not
    /// closed: their owners close them first.
    public func stop() {
        submitRemote { $0.stopping = true }
    }

    private func run() {
        pthread_setspecific(currentLoopKey, Unmanaged.passUnretained(self).toOpaque())
        threadID.store(UInt(pthread_self()), ordering: .releasing)
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(maxEventsPerWait))
        defer { events.deallocate() }
        while true {
            let count = waitForEvents(events)
            cachedNow = MonotonicClock.now()
            dispatch(events, count: count)
            runExpiredTimers()
            if takeRemoteWork() { break }
            runLocalWork()
            runTickEndActions()
        }
    }

    private func waitForEvents(_ events: UnsafeMutablePointer<epoll_event>) -> Int {
        let timeout: Int32
        if !localJobs.isEmpty || !localClosures.isEmpty || !tickEndActions.isEmpty {
            timeout = 0
        } else if let deadline = timers.nextDeadline() {
            let now = MonotonicClock.now()
            // Round up so a timer never fires early and spins the loop.
            timeout = deadline <= now ? 0 : Int32(clamping: (deadline - now + 999_999) / 1_000_000)
        } else {
            timeout = -1
        }
        let count = epoll_wait(epoll, events, maxEventsPerWait, timeout)
        return count < 0 ? 0 : Int(count)  // EINTR: treat as no events and loop
    }

    private func dispatch(_ events: UnsafeMutablePointer<epoll_event>, count: Int) {
        for offset in 0..<count {
            let fd = cstratus_epoll_event_fd(events + offset)
            let mask = EventMask(rawValue: cstratus_epoll_event_mask(events + offset))
            if fd == wakeup {
                var value: UInt64 = 0
                _ = Glibc.read(wakeup, &value, 8)
                continue
            }
            if Int(fd) < registrations.count, let handler = registrations[Int(fd)] {
                handler.handleEvents(mask)
            }
        }
    }

    private func runExpiredTimers() {
        guard !timers.isEmpty else { return }
        for action in timers.takeExpired(now: cachedNow) {
            action()
        }
    }

    /// Moves work submitted from other threads to the local queues; returns true
    /// when the loop must stop.
    private func takeRemoteWork() -> Bool {
        let (jobs, closures, stopping) = remote.withLock { queue in
            defer {
                queue.jobs.removeAll(keepingCapacity: true)
                queue.closures.removeAll(keepingCapacity: true)
                queue.wakeupPending = false
            }
            return (queue.jobs, queue.closures, queue.stopping)
        }
        localJobs.append(contentsOf: jobs)
        for closure in closures {
            localClosures.append(closure)
        }
        return stopping
    }

    /// Runs queued closures and task jobs, including the ones they enqueue, up to
    /// a bound so that a task that keeps yielding cannot starve socket events.
    private func runLocalWork() {
        var rounds = 0
        while (!localJobs.isEmpty || !localClosures.isEmpty) && rounds < 16 {
            rounds += 1
            let closures = localClosures
            localClosures.removeAll(keepingCapacity: true)
            for closure in closures {
                closure()
            }
            let jobs = localJobs
            localJobs.removeAll(keepingCapacity: true)
            let executor = asUnownedTaskExecutor()
            for job in jobs {
                job.runSynchronously(on: executor)
            }
        }
    }

    private func runTickEndActions() {
        while !tickEndActions.isEmpty {
            let actions = tickEndActions
            tickEndActions.removeAll(keepingCapacity: true)
            for action in actions {
                action()
            }
        }
    }
}

/// The thread-specific slot that contains each loop thread's own loop.
private let currentLoopKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

private final class ThreadStart {
    let loop: EventLoop

    init(loop: EventLoop) {
        self.loop = loop
    }
}
