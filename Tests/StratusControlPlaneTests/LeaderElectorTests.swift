import StratusTestSupport
import Testing
@testable import StratusControlPlane
@testable import StratusStore

/// Leader-only controllers over an in-memory store whose leases expire
/// only when the test advances the store's clock.
@Suite struct LeaderElectorTests {
    enum Event: Sendable, Equatable {
        case started
        case stopped
    }

    /// Returns a controller that reports when it starts and when its task
    /// is cancelled, and the stream of those reports.
    static func recordingController() -> (@Sendable () async -> Void, AsyncStream<Event>) {
        let (events, continuation) = AsyncStream<Event>.makeStream()
        let controller: @Sendable () async -> Void = {
            continuation.yield(.started)
            try? await Task.sleep(for: .seconds(3600))
            continuation.yield(.stopped)
        }
        return (controller, events)
    }

    @Test func lostLeaseStopsControllerAndCampaignsAgain() async throws {
        let clock = ManualNanosecondClock()
        let store = try makeMemoryStore(clock: clock)
        let (controller, events) = Self.recordingController()
        let election = try LeaderElector(store: store, name: "/test/controller", leaseTTL: 1, logger: quietLogger, controller: controller)
        election.start(candidate: "replica-a")

        try await within("the controller to run, lose its lease and run again") {
            var iterator = events.makeAsyncIterator()
            #expect(await iterator.next() == .started)
            #expect(election.isLeader)
            // The store expires the lease, and the session learns of it from
            // its next renewal.
            clock.advance(seconds: 2)
            try await store.expireLeases()
            #expect(await iterator.next() == .stopped)
            #expect(await iterator.next() == .started)
        }
        #expect(election.isLeader)
        await election.stop()
        #expect(!election.isLeader)
        await store.close()
    }

    @Test func stopReleasesLeadership() async throws {
        let store = try makeMemoryStore()
        let (controller, events) = Self.recordingController()
        let election = try LeaderElector(store: store, name: "/test/controller", leaseTTL: 30, logger: quietLogger, controller: controller)
        election.start(candidate: "replica-a")
        try await within("the controller to start") {
            var iterator = events.makeAsyncIterator()
            #expect(await iterator.next() == .started)
        }
        #expect(try await election.election.leader()?.value == "replica-a")

        await election.stop()
        #expect(!election.isLeader)
        #expect(try await election.election.leader() == nil)
        await store.close()
    }

    @Test func followerWaitsForLeader() async throws {
        let store = try makeMemoryStore()
        let (firstController, firstEvents) = Self.recordingController()
        let (secondController, secondEvents) = Self.recordingController()
        let first = try LeaderElector(store: store, name: "/test/controller", leaseTTL: 30, logger: quietLogger, controller: firstController)
        let second = try LeaderElector(store: store, name: "/test/controller", leaseTTL: 30, logger: quietLogger, controller: secondController)
        first.start(candidate: "replica-a")
        try await within("the first controller to start") {
            var iterator = firstEvents.makeAsyncIterator()
            #expect(await iterator.next() == .started)
        }
        second.start(candidate: "replica-b")
        #expect(!second.isLeader)

        await first.stop()
        try await within("the second controller to take over") {
            var iterator = secondEvents.makeAsyncIterator()
            #expect(await iterator.next() == .started)
        }
        #expect(second.isLeader)
        #expect(try await second.election.leader()?.value == "replica-b")
        await second.stop()
        await store.close()
    }

    @Test func emptyNameIsRejected() throws {
        let store = try makeMemoryStore()
        let (controller, _) = Self.recordingController()
        #expect(throws: StoreError.self) {
            _ = try LeaderElector(store: store, name: "", leaseTTL: 5, logger: quietLogger, controller: controller)
        }
    }
}
