import Synchronization

/// The process-wide tracer, shaped like swift-distributed-tracing's
/// `InstrumentationSystem`. Until `bootstrap(_:)` runs, the tracer is a
/// `NoOpTracer`: spans cost almost nothing and nothing is propagated.
public enum InstrumentationSystem {
    private static let state = Mutex<(tracer: any Tracer, isBootstrapped: Bool)>((NoOpTracer(), false))

    /// Sets the process-wide tracer. Call it once, at startup, before any
    /// span starts. A second call is a programmer error and stops the process.
    public static func bootstrap(_ tracer: any Tracer) {
        state.withLock { state in
            precondition(
                !state.isBootstrapped,
                "InstrumentationSystem.bootstrap called twice; call it once, at process startup"
            )
            state = (tracer, true)
        }
    }

    /// The bootstrapped tracer, or a `NoOpTracer`.
    public static var tracer: any Tracer {
        state.withLock { $0.tracer }
    }
}
