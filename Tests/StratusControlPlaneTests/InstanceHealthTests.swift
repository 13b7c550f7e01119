import Testing
import StratusDiscovery
@testable import StratusControlPlane

@Suite struct InstanceHealthTests {
    /// One row: the starting status, the thresholds, the results fed in
    /// order ("P" passed, "F" failed) and the action expected after each.
    struct Case: CustomTestStringConvertible, Sendable {
        var start: InstanceStatus
        var success: Int
        var failure: Int
        var results: String
        var actions: [InstanceHealth.Action]

        var testDescription: String { "\(start.rawValue) s=\(success) f=\(failure) \(results)" }
    }

    static let cases: [Case] = [
        Case(start: .up, success: 1, failure: 1, results: "F", actions: [.markDown]),
        Case(start: .up, success: 1, failure: 1, results: "PPP", actions: [.noChange, .noChange, .noChange]),
        Case(start: .down, success: 1, failure: 1, results: "P", actions: [.markUp]),
        Case(start: .down, success: 1, failure: 1, results: "FFF", actions: [.noChange, .noChange, .noChange]),
        Case(start: .up, success: 3, failure: 3, results: "FFF", actions: [.noChange, .noChange, .markDown]),
        Case(start: .up, success: 3, failure: 3, results: "FFPFFPFF", actions: Array(repeating: .noChange, count: 8)),
        Case(start: .up, success: 3, failure: 3, results: "FPFFF", actions: [.noChange, .noChange, .noChange, .noChange, .markDown]),
        Case(start: .down, success: 3, failure: 3, results: "PPP", actions: [.noChange, .noChange, .markUp]),
        Case(start: .down, success: 3, failure: 3, results: "PPFPPFPP", actions: Array(repeating: .noChange, count: 8)),
        Case(start: .down, success: 3, failure: 1, results: "PFPPP", actions: [.noChange, .noChange, .noChange, .noChange, .markUp]),
        Case(start: .up, success: 1, failure: 3, results: "FPFPFP", actions: Array(repeating: .noChange, count: 6)),
        Case(start: .down, success: 3, failure: 1, results: "PFPFPF", actions: Array(repeating: .noChange, count: 6)),
        Case(start: .draining, success: 1, failure: 1, results: "FFFPPP", actions: Array(repeating: .noChange, count: 6)),
        Case(start: .draining, success: 3, failure: 3, results: "FFFFFF", actions: Array(repeating: .noChange, count: 6)),
    ]

    @Test(arguments: cases)
    func resultsGiveActions(_ row: Case) {
        var health = InstanceHealth(status: row.start, successThreshold: row.success, failureThreshold: row.failure)
        var actions: [InstanceHealth.Action] = []
        for result in row.results {
            actions.append(health.record(result == "P" ? .probePassed : .probeFailed))
        }
        #expect(actions == row.actions)
        #expect(health.status == row.start)
    }

    @Test func unconfirmedChangeIsAskedAgain() {
        var health = InstanceHealth(status: .up, successThreshold: 1, failureThreshold: 2)
        #expect(health.record(.probeFailed) == .noChange)
        #expect(health.record(.probeFailed) == .markDown)
        // The write failed, so the status in the registry is still UP.
        #expect(health.record(.probeFailed) == .markDown)
        health.observe(.down)
        #expect(health.status == .down)
        #expect(health.record(.probeFailed) == .noChange)
    }

    @Test func observedChangeResetsCounts() {
        var health = InstanceHealth(status: .up, successThreshold: 2, failureThreshold: 3)
        _ = health.record(.probeFailed)
        _ = health.record(.probeFailed)
        #expect(health.consecutiveFailures == 2)
        health.observe(.down)
        #expect(health.consecutiveFailures == 0)
        #expect(health.record(.probePassed) == .noChange)
        #expect(health.record(.probePassed) == .markUp)
    }

    @Test func sameStatusKeepsCounts() {
        var health = InstanceHealth(status: .up, successThreshold: 1, failureThreshold: 3)
        _ = health.record(.probeFailed)
        _ = health.record(.probeFailed)
        health.observe(.up)
        #expect(health.consecutiveFailures == 2)
        #expect(health.record(.probeFailed) == .markDown)
    }

    @Test func drainingStopsAndResumes() {
        var health = InstanceHealth(status: .up, successThreshold: 1, failureThreshold: 2)
        _ = health.record(.probeFailed)
        health.observe(.draining)
        #expect(health.record(.probeFailed) == .noChange)
        #expect(health.record(.probeFailed) == .noChange)
        health.observe(.up)
        #expect(health.record(.probeFailed) == .noChange)
        #expect(health.record(.probeFailed) == .markDown)
    }

    @Test func thresholdBelowOneCountsAsOne() {
        var health = InstanceHealth(status: .up, successThreshold: 0, failureThreshold: -2)
        #expect(health.successThreshold == 1)
        #expect(health.failureThreshold == 1)
        #expect(health.record(.probeFailed) == .markDown)
    }

    @Test func checkSuppliesThresholds() {
        let check = HealthCheck(path: "/healthz", successThreshold: 2, failureThreshold: 4)
        let health = InstanceHealth(status: .down, check: check)
        #expect(health.successThreshold == 2)
        #expect(health.failureThreshold == 4)
        #expect(health.status == .down)
    }
}
