/// The reason a fallback runs.
public enum FallbackCause: Sendable {
    /// A policy rejected the operation, which did not run.
    case rejected(PolicyRejection)
    /// The operation ran and threw this error.
    case failed(any Error)
}

extension AdmissionPolicy {
    /// Runs `operation` when the policy admits it and reports how it ended.
    ///
    /// A returned value is a success and a thrown error a failure, except a
    /// `CancellationError`, or any error thrown once the task is cancelled,
    /// which counts as `.cancelled`. The error is rethrown in every case.
    ///
    /// - Throws: `PolicyRejection` when the policy rejects, without running
    ///   `operation`; otherwise what `operation` throws.
    public func run<Value>(
        isolation: isolated (any Actor)? = #isolation,
        _ operation: () async throws -> Value
    ) async throws -> Value {
        let permit = try acquirePermit().get()
        do {
            let value = try await operation()
            releasePermit(permit, outcome: .success)
            return value
        } catch {
            releasePermit(permit, outcome: outcomeOfFailure(error))
            throw error
        }
    }
}

/// Runs `operation` under `policy` and returns `fallback`'s value when the
/// policy rejects the operation or the operation throws, such as a cached
/// or default response.
///
/// ```swift
/// let profile = try await withFallback(breaker) {
///     try await profiles.fetch(id)
/// } fallback: { cause in
///     cache[id] ?? .anonymous
/// }
/// ```
///
/// The outcome reaches the policy as `run(_:)` describes it. Cancellation
/// does not fall back: when the task is cancelled, the error is rethrown.
/// An error thrown by `fallback` is rethrown.
public func withFallback<Policy: AdmissionPolicy, Value>(
    _ policy: Policy,
    isolation: isolated (any Actor)? = #isolation,
    operation: () async throws -> Value,
    fallback: (FallbackCause) async throws -> Value
) async throws -> Value {
    let permit: Policy.Permit
    switch policy.acquirePermit() {
    case .success(let admitted): permit = admitted
    case .failure(let rejection): return try await fallback(.rejected(rejection))
    }
    do {
        let value = try await operation()
        policy.releasePermit(permit, outcome: .success)
        return value
    } catch {
        let outcome = outcomeOfFailure(error)
        policy.releasePermit(permit, outcome: outcome)
        if outcome == .cancelled {
            throw error
        }
        return try await fallback(.failed(error))
    }
}

/// `.cancelled` for a cancellation, otherwise a failure named by the error.
private func outcomeOfFailure(_ error: any Error) -> OperationOutcome {
    if error is CancellationError || Task.isCancelled {
        return .cancelled
    }
    return .failure(reason: String(describing: error))
}
