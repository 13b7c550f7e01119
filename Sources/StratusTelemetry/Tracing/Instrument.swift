/// Moves a `ServiceContext` into and out of a carrier such as request
/// headers, shaped like swift-distributed-tracing's `Instrument`.
public protocol Instrument: Sendable {
    /// Reads what this instrument propagates from `carrier` into `context`.
    /// Invalid or missing values leave `context` unchanged.
    func extract<Extract: Extractor>(_ carrier: Extract.Carrier, into context: inout ServiceContext, using extractor: Extract)

    /// Writes what this instrument propagates from `context` into `carrier`.
    /// A context without a span writes nothing.
    func inject<Inject: Injector>(_ context: ServiceContext, into carrier: inout Inject.Carrier, using injector: Inject)
}

/// Reads a value by key from a carrier.
public protocol Extractor: Sendable {
    associatedtype Carrier
    func extract(key: String, from carrier: Carrier) -> String?
}

/// Writes a value by key into a carrier.
public protocol Injector: Sendable {
    associatedtype Carrier
    func inject(_ value: String, forKey key: String, into carrier: inout Carrier)
}
