import StratusTestSupport
import Testing
@testable import StratusStore

@Suite struct ElectionTests {
    @Test func successorsFollowCreateOrder() async throws {
        let store = try EmbeddedStore(configuration: .testing(path: nil, clock: ManualNanosecondClock()))
        let election = try Election(store: store, name: "scheduler")
        let first = try await LeaseSession(store: store, ttl: 30)
        let second = try await LeaseSession(store: store, ttl: 30)
        let third = try await LeaseSession(store: store, ttl: 30)

        let leadership = try await election.campaign(session: first, value: "a")
        let secondCampaign = Task { try await election.campaign(session: second, value: "b") }
        try await waitForCandidates(election, store: store, count: 2)
        let thirdCampaign = Task { try await election.campaign(session: third, value: "c") }
        try await waitForCandidates(election, store: store, count: 3)
        #expect(try await election.leader()?.value == "a")

        try await leadership.resign()
        let secondLeadership = try await secondCampaign.value
        #expect(secondLeadership.fencingToken > leadership.fencingToken)
        #expect(try await election.leader()?.value == "b")

        await second.close()
        let lost = await secondLeadership.waitUntilLost()
        #expect(lost.code == .leaseNotFound)
        let thirdLeadership = try await thirdCampaign.value
        #expect(thirdLeadership.fencingToken > secondLeadership.fencingToken)
        await first.close()
        await third.close()
        await store.close()
    }

    @Test func expiredLeaseEndsLeadership() async throws {
        let clock = ManualNanosecondClock()
        let store = try EmbeddedStore(configuration: .testing(path: nil, clock: clock))
        let election = try Election(store: store, name: "jobs")
        let session = try await LeaseSession(store: store, ttl: 3)
        let leadership = try await election.campaign(session: session, value: "a")
        clock.advance(by: .seconds(4))
        #expect(try await store.expireLeases() == 1)
        let lost = await leadership.waitUntilLost()
        // The session learns of the expiry from its next renewal, or gives
        // up first when that renewal is late by a whole TTL on a busy machine.
        #expect(lost.code == .leaseNotFound || lost.code == .timedOut)
        #expect(try await election.leader() == nil)
        await store.close()
    }

    @Test func observeReportsChanges() async throws {
        let store = try EmbeddedStore(configuration: .testing(path: nil, clock: ManualNanosecondClock()))
        let election = try Election(store: store, name: "observed")
        var changes = election.observe().makeAsyncIterator()
        #expect(try await changes.next() == .some(nil))
        let session = try await LeaseSession(store: store, ttl: 30)
        let leadership = try await election.campaign(session: session, value: "a")
        let elected = try await changes.next()
        #expect(elected??.value == "a")
        #expect(elected??.fencingToken == leadership.fencingToken)
        try await leadership.resign()
        #expect(try await changes.next() == .some(nil))
        await session.close()
        await store.close()
    }

    @Test func emptyNameIsRejected() throws {
        let store = try EmbeddedStore(configuration: .testing(path: nil, clock: ManualNanosecondClock()))
        let error = try #require(throws: StoreError.self) { try Election(store: store, name: "") }
        #expect(error.code == .invalidArgument)
    }

    /// Waits until `count` candidates have keys, watching rather than polling.
    private func waitForCandidates(_ election: Election, store: EmbeddedStore, count: Int) async throws {
        let current = try await store.range(RangeRequest(.prefix(election.prefix)))
        if current.count >= count { return }
        var seen = current.count
        for try await event in store.watch(prefix: election.prefix, from: current.revision + 1) where event.kind == .put {
            seen += 1
            if seen >= count { return }
        }
    }
}
