import Synchronization

/// The plugins a gateway can build, by the name routes give in `plugins`:
/// single plugins (`GatewayPluginFactory`) and suites of plugins built
/// together (`GatewayPluginSuite`).
///
/// A name that nothing registered is a configuration error. The gateway
/// registers none of its own, and `stratus gateway` registers the security
/// policies of `StratusGatewayPolicies` with
/// `PolicyPlugins.register(in:logger:)`. A name registered again belongs to
/// the later registration.
///
/// Thread safety: all methods may be called from any thread. Register
/// plugins before the gateway loads its first configuration; a plugin
/// registered later applies from the next reload.
public final class GatewayPluginRegistry: Sendable {
    private enum Entry {
        case factory(GatewayPluginFactory)
        /// A plugin of the suite with this name.
        case suite(String)
    }

    private struct Registrations {
        var plugins: [String: Entry] = [:]
        var credentials: [String: Entry] = [:]
        var suites: [String: GatewayPluginSuite] = [:]
    }

    private let registrations = Mutex(Registrations())

    public init() {}

    /// Adds `factory` under its name, replacing what was registered under it.
    public func register(_ factory: GatewayPluginFactory) {
        registrations.withLock {
            $0.plugins[factory.name] = .factory(factory)
            $0.credentials[factory.name] = factory.acceptsCredentials ? .factory(factory) : nil
        }
    }

    /// Adds `suite` under its plugin and credential names, replacing what
    /// was registered under them and a suite of the same name.
    public func register(_ suite: GatewayPluginSuite) {
        registrations.withLock {
            $0.suites[suite.name] = suite
            for name in suite.plugins {
                $0.plugins[name] = .suite(suite.name)
            }
            for name in suite.credentials {
                $0.credentials[name] = .suite(suite.name)
            }
        }
    }

    /// Returns the factory registered under `name`, or nil when none or a
    /// suite has it.
    public func factory(named name: String) -> GatewayPluginFactory? {
        registrations.withLock {
            guard case .factory(let factory) = $0.plugins[name] else { return nil }
            return factory
        }
    }

    /// Returns the name of the suite that builds the plugin `name`, or nil.
    func suiteName(ofPlugin name: String) -> String? {
        registrations.withLock {
            guard case .suite(let suite) = $0.plugins[name] else { return nil }
            return suite
        }
    }

    /// Returns the name of the suite that reads consumers' `credentials.<name>`, or nil.
    func suiteName(ofCredential name: String) -> String? {
        registrations.withLock {
            guard case .suite(let suite) = $0.credentials[name] else { return nil }
            return suite
        }
    }

    /// The registered suites, by name.
    var suites: [GatewayPluginSuite] {
        registrations.withLock { $0.suites.values.sorted { $0.name < $1.name } }
    }

    /// Returns whether a plugin or suite is registered under `name`.
    func contains(_ name: String) -> Bool {
        registrations.withLock { $0.plugins[name] != nil }
    }

    /// Returns whether consumers may carry credentials for the plugin `name`.
    func acceptsCredentials(_ name: String) -> Bool {
        registrations.withLock { $0.credentials[name] != nil }
    }

    /// The registered plugin names, sorted.
    public var names: [String] {
        registrations.withLock { $0.plugins.keys.sorted() }
    }
}
