import StratusOrchestrator
import Testing

@Suite struct RolloutPlannerTests {
    func replica(_ ordinal: Int, _ template: String, available: Bool = true) -> RolloutPlanner.Candidate {
        RolloutPlanner.Candidate(id: "web-\(ordinal)", ordinal: ordinal, template: template, available: available)
    }

    @Test func scalesUpAndDown() {
        #expect(RolloutPlanner.plan([], desired: 3, template: "a", maxSurge: 1, maxUnavailable: 0) == .init(start: 3, remove: []))
        let four = (1...4).map { replica($0, "a") }
        #expect(RolloutPlanner.plan(four, desired: 2, template: "a", maxSurge: 1, maxUnavailable: 0) == .init(start: 0, remove: ["web-4", "web-3"]))
    }

    @Test func scaleDownRemovesUnavailableFirst() {
        let replicas = [replica(1, "a"), replica(2, "a", available: false), replica(3, "a")]
        #expect(RolloutPlanner.plan(replicas, desired: 2, template: "a", maxSurge: 1, maxUnavailable: 0).remove == ["web-2"])
    }

    @Test func surgeStartsNewBeforeRemovingOld() {
        let old = (1...3).map { replica($0, "a") }
        #expect(RolloutPlanner.plan(old, desired: 3, template: "b", maxSurge: 1, maxUnavailable: 0) == .init(start: 1, remove: []))
    }

    @Test func oldRemovedOnceNewAvailable() {
        let starting = (1...3).map { replica($0, "a") } + [replica(4, "b", available: false)]
        #expect(RolloutPlanner.plan(starting, desired: 3, template: "b", maxSurge: 1, maxUnavailable: 0) == .init(start: 0, remove: []))
        let ready = (1...3).map { replica($0, "a") } + [replica(4, "b")]
        #expect(RolloutPlanner.plan(ready, desired: 3, template: "b", maxSurge: 1, maxUnavailable: 0) == .init(start: 1, remove: ["web-3"]))
    }

    @Test func unavailableAllowanceRemovesFirst() {
        let old = (1...4).map { replica($0, "a") }
        #expect(RolloutPlanner.plan(old, desired: 4, template: "b", maxSurge: 0, maxUnavailable: 1) == .init(start: 1, remove: ["web-4"]))
    }

    @Test func unavailableOldRemovedFreely() {
        let replicas = [replica(1, "a", available: false), replica(2, "a"), replica(3, "b")]
        #expect(RolloutPlanner.plan(replicas, desired: 2, template: "b", maxSurge: 1, maxUnavailable: 0) == .init(start: 1, remove: ["web-1"]))
    }

    @Test func availabilityNeverBelowMinimum() {
        // Replay a rollout of 3 replicas with maxSurge 1 and maxUnavailable 0,
        // new replicas becoming available one step after they start.
        var replicas = (1...3).map { replica($0, "a") }
        var next = 4
        for _ in 0..<20 {
            replicas = replicas.map { RolloutPlanner.Candidate(id: $0.id, ordinal: $0.ordinal, template: $0.template, available: true) }
            let plan = RolloutPlanner.plan(replicas, desired: 3, template: "b", maxSurge: 1, maxUnavailable: 0)
            replicas.removeAll { plan.remove.contains($0.id) }
            #expect(replicas.filter(\.available).count >= 3)
            #expect(replicas.count + plan.start <= 4)
            for _ in 0..<plan.start {
                replicas.append(replica(next, "b", available: false))
                next += 1
            }
        }
        #expect(replicas.allSatisfy { $0.template == "b" })
        #expect(replicas.count == 3)
    }
}
