import Synchronization
import Testing
import StratusKit

/// Events the test services record, in order.
final class EventLog: Sendable {
    private let events = Mutex<[String]>([])

    func record(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
}

/// Waits for graceful shutdown, then records that it stopped.
struct WaitingService: Service {
    let name: String
    let log: EventLog

    func run() async throws {
        log.record("\(name) started")
        try await gracefulShutdown()
        log.record("\(name) stopped")
    }
}

struct FailingService: Service {
    struct Failure: Error {}

    func run() async throws {
        throw Failure()
    }
}

struct ReturningService: Service {
    func run() async throws {}
}

/// Runs until cancelled, recording the cancellation.
struct CancellableService: Service {
    let log: EventLog

    func run() async throws {
        do {
            try await Task.sleep(for: .seconds(3600))
        } catch {
            log.record("cancelled")
            throw error
        }
    }
}

@Suite struct ServiceGroupTests {
    @Test func shutdownRunsInReverseOrder() async throws {
        let log = EventLog()
        let group = ServiceGroup(services: ["a", "b", "c"].map { WaitingService(name: $0, log: log) }, handlesSignals: false)
        let running = Task { try await group.run() }
        while log.all.count < 3 {
            await Task.yield()
        }
        group.triggerGracefulShutdown()
        try await running.value
        #expect(Array(log.all.suffix(3)) == ["c stopped", "b stopped", "a stopped"])
    }

    @Test func failureCancelsTheOthers() async {
        let log = EventLog()
        let group = ServiceGroup(services: [CancellableService(log: log), FailingService()], handlesSignals: false)
        await #expect(throws: FailingService.Failure.self) {
            try await group.run()
        }
        #expect(log.all == ["cancelled"])
    }

    @Test func earlyReturnIsAnError() async {
        let log = EventLog()
        let group = ServiceGroup(services: [ReturningService(), CancellableService(log: log)], handlesSignals: false)
        await #expect(throws: ServiceGroupError.self) {
            try await group.run()
        }
    }

    @Test func handlerRunsOnShutdown() async throws {
        let log = EventLog()
        struct HandlerService: Service {
            let log: EventLog

            func run() async throws {
                try await withGracefulShutdownHandler {
                    try await gracefulShutdown()
                } onGracefulShutdown: {
                    log.record("handler")
                }
            }
        }
        let group = ServiceGroup(services: [HandlerService(log: log)], handlesSignals: false)
        let running = Task { try await group.run() }
        group.triggerGracefulShutdown()
        try await running.value
        #expect(log.all == ["handler"])
    }
}
