extension TokenBucketLimiter: AdmissionPolicy {
    public func acquirePermit() -> Result<Void, PolicyRejection> {
        acquire().permit((), reason: .rateLimited)
    }

    /// Does nothing: the token stays taken whatever the outcome.
    public func releasePermit(_ permit: Void, outcome: OperationOutcome) {}
}

extension SlidingWindowLimiter: AdmissionPolicy {
    public func acquirePermit() -> Result<Void, PolicyRejection> {
        acquire().permit((), reason: .rateLimited)
    }

    /// Does nothing: the request stays counted whatever the outcome.
    public func releasePermit(_ permit: Void, outcome: OperationOutcome) {}
}

extension ConcurrencyLimiter: AdmissionPolicy {
    public func acquirePermit() -> Result<Void, PolicyRejection> {
        acquire().permit((), reason: .concurrencyLimited)
    }

    /// Releases the slot.
    public func releasePermit(_ permit: Void, outcome: OperationOutcome) {
        release()
    }
}

extension CircuitBreaker: AdmissionPolicy {
    public func acquirePermit() -> Result<Void, PolicyRejection> {
        admit().permit((), reason: .circuitOpen)
    }

    /// Records the outcome: `recordSuccess`, `recordFailure` or `recordCancelled`.
    public func releasePermit(_ permit: Void, outcome: OperationOutcome) {
        switch outcome {
        case .success: recordSuccess()
        case .failure(let reason): recordFailure(reason: reason)
        case .cancelled: recordCancelled()
        }
    }
}

extension AdaptiveThrottle: AdmissionPolicy {
    public func acquirePermit() -> Result<Void, PolicyRejection> {
        admit().permit((), reason: .throttled)
    }

    /// Records a failure as not accepted, and a success or a cancellation as
    /// accepted, since a cancelled call is no evidence against the backend.
    public func releasePermit(_ permit: Void, outcome: OperationOutcome) {
        if case .failure = outcome {
            record(accepted: false)
        } else {
            record(accepted: true)
        }
    }
}

extension LoadShedder: AdmissionPolicy {
    /// Admits or sheds a request. The permit is the start time that
    /// `complete(startedAt:)` takes.
    public func acquirePermit() -> Result<UInt64, PolicyRejection> {
        let (decision, startedAt) = admit()
        return decision.permit(startedAt, reason: .overloaded)
    }

    /// Completes the request whatever the outcome.
    public func releasePermit(_ permit: UInt64, outcome: OperationOutcome) {
        complete(startedAt: permit)
    }
}
