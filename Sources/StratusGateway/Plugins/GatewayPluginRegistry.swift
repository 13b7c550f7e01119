import Synchronization

/// The plugins a gateway can build, by the name routes give in `plugins`.
///
/// A name that no registered plugin has is a configuration error. The
/// gateway registers none of its own: `StratusGatewayPolicies` registers
/// the auth plugins (`jwt`, `keyAuth`, `basicAuth`, `extAuthz`,
/// `ipRestriction`, `cors`).
///
/// Thread safety: all methods may be called from any thread. Register
/// plugins before the gateway loads its first configuration; a plugin
/// registered later applies from the next reload.
public final class GatewayPluginRegistry: Sendable {
    private let factories = Mutex<[String: GatewayPluginFactory]>([:])

    public init() {}

    /// Adds `factory` under its name, replacing one registered before.
    public func register(_ factory: GatewayPluginFactory) {
        factories.withLock { $0[factory.name] = factory }
    }

    /// Returns the factory registered under `name`, or nil.
    public func factory(named name: String) -> GatewayPluginFactory? {
        factories.withLock { $0[name] }
    }

    /// The registered names, sorted.
    public var names: [String] {
        factories.withLock { $0.keys.sorted() }
    }
}
