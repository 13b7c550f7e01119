/// Values that travel with a task and across process boundaries: the active
/// span's context, and whatever else instrumentation attaches. Shaped like
/// swift-service-context's `ServiceContext`.
public struct ServiceContext: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]
    /// The active span's context, kept out of `values` because every span
    /// sets it: a dictionary entry would allocate storage and box the value.
    var storedSpanContext: SpanContext?

    /// An empty context, for work that has no parent (a process's own job).
    public static var topLevel: ServiceContext { ServiceContext() }

    private init() {}

    /// The context of the current task, set with `withServiceContext`.
    public static var current: ServiceContext? { storage }

    @TaskLocal static var storage: ServiceContext?

    public subscript<Key: ServiceContextKey>(_ key: Key.Type) -> Key.Value? {
        get { values[ObjectIdentifier(key)] as? Key.Value }
        set { values[ObjectIdentifier(key)] = newValue }
    }

    public var isEmpty: Bool { values.isEmpty && storedSpanContext == nil }
}

/// A key for a value in a `ServiceContext`.
public protocol ServiceContextKey: Sendable {
    associatedtype Value: Sendable
}

/// Runs `operation` with `context` as `ServiceContext.current`.
public func withServiceContext<T>(
    _ context: ServiceContext,
    operation: () async throws -> T
) async rethrows -> T {
    try await ServiceContext.$storage.withValue(context, operation: operation)
}

/// Runs `operation` with `context` as `ServiceContext.current`.
public func withServiceContext<T>(_ context: ServiceContext, operation: () throws -> T) rethrows -> T {
    try ServiceContext.$storage.withValue(context, operation: operation)
}
