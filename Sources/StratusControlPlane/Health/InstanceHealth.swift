import StratusDiscovery

/// The health-check state machine of one instance: probe results in,
/// status changes out.
///
/// It counts consecutive results against the check's thresholds, starting
/// from the status the registry holds. An UP instance is marked DOWN after
/// `failureThreshold` failed probes in a row. A DOWN instance, whether the
/// checker or the instance itself set it DOWN, is marked UP after
/// `successThreshold` passed probes in a row. A DRAINING instance gets no
/// action, whatever the results.
///
/// `status` changes only through `observe(_:)`, when the registry confirms
/// a new status. Until then, every further result past the threshold calls
/// for the same change again, so a status write that failed is retried on
/// the next probe.
struct InstanceHealth: Sendable, Hashable {
    /// A probe result.
    enum Event: Sendable, Hashable {
        case probePassed
        case probeFailed
    }

    /// A status change for the checker to write to the registry.
    enum Action: Sendable, Hashable {
        case markUp
        case markDown
        case noChange
    }

    /// The status in the registry, as last observed.
    private(set) var status: InstanceStatus
    private(set) var consecutivePasses = 0
    private(set) var consecutiveFailures = 0
    let successThreshold: Int
    let failureThreshold: Int

    /// Starts from the registry's `status`. Thresholds below 1 count as 1.
    init(status: InstanceStatus, successThreshold: Int, failureThreshold: Int) {
        self.status = status
        self.successThreshold = max(1, successThreshold)
        self.failureThreshold = max(1, failureThreshold)
    }

    /// Starts from the instance's status and its check's thresholds.
    init(status: InstanceStatus, check: HealthCheck) {
        self.init(status: status, successThreshold: check.successThreshold, failureThreshold: check.failureThreshold)
    }

    /// Counts a probe result and returns the status change it calls for.
    mutating func record(_ event: Event) -> Action {
        guard status != .draining else { return .noChange }
        switch event {
        case .probePassed:
            consecutivePasses += 1
            consecutiveFailures = 0
            return status == .down && consecutivePasses >= successThreshold ? .markUp : .noChange
        case .probeFailed:
            consecutiveFailures += 1
            consecutivePasses = 0
            return status == .up && consecutiveFailures >= failureThreshold ? .markDown : .noChange
        }
    }

    /// Adopts the status the registry now holds. A different status resets
    /// both counts, so the next change needs a full threshold of results.
    mutating func observe(_ newStatus: InstanceStatus) {
        guard newStatus != status else { return }
        status = newStatus
        consecutivePasses = 0
        consecutiveFailures = 0
    }
}
