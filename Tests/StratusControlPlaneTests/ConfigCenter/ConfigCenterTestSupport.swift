import Foundation
@testable import StratusControlPlane
import StratusConfig
import StratusLog
import StratusStore

let iamApplication = NamespaceCoordinates(application: "iam-apiserver", environment: "dev", namespace: "application")

/// A 32-byte key in base64, as `STRATUS_CONFIG_KEY` holds it.
func makeSecretKey(byte: UInt8 = 7) throws -> SecretKey {
    try SecretKey(text: Data([UInt8](repeating: byte, count: 32)).base64EncodedString(), source: "test")
}

/// A config center over a fresh in-memory store, with a clock that advances
/// one second per reading.
func makeConfigCenter(secretKey: SecretKey? = nil) throws -> (ConfigCenter, EmbeddedStore) {
    let store = try EmbeddedStore(configuration: .init(path: nil), logger: Logger(label: "test") { NoOpLogHandler(label: $0) })
    let clock = TestClock()
    return (ConfigCenter(store: store, secretKey: secretKey, now: { clock.next() }), store)
}

/// Starts a control plane on a memory store with a secret key and no
/// health checks, and returns it with its URL.
func startConfigControlPlane() async throws -> (ControlPlane, String) {
    var configuration = ControlPlane.Configuration(store: .memory)
    configuration.port = 0
    configuration.healthChecks = false
    configuration.secretKey = try makeSecretKey()
    configuration.logger = quietLogger
    let controlPlane = try ControlPlane(configuration: configuration)
    try await controlPlane.start()
    guard let address = controlPlane.localAddress else {
        throw ConfigCenterError(.unavailable, "the control plane started without a local address")
    }
    return (controlPlane, "http://\(address)")
}

/// Creates a key-value namespace and publishes `items` as release 1.
@discardableResult
func publishItems(_ center: ConfigCenter, _ items: [String: String], namespace: NamespaceCoordinates = iamApplication, create: Bool = true) async throws -> Release {
    if create {
        _ = try await center.createNamespace(namespace, CreateNamespaceRequest(format: .keyValue, author: "alice"))
    }
    for (key, value) in items.sorted(by: { $0.key < $1.key }) {
        _ = try await center.setItem(namespace, key: key, SetItemRequest(value: value, author: "alice"))
    }
    return try await center.publish(namespace, PublishRequest(author: "alice", comment: "publish \(items.count) items"))
}

/// Runs `body` and returns the `ConfigCenterError` it throws, nil if none.
func configError(_ body: () async throws -> Void) async -> ConfigCenterError? {
    do {
        try await body()
        return nil
    } catch let error as ConfigCenterError {
        return error
    } catch {
        return ConfigCenterError(.invalidResponse, "unexpected error \(error)")
    }
}

/// Dates one second apart from a fixed start, so entries sort by time.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds = 1_700_000_000.0

    func next() -> Date {
        lock.lock()
        defer { lock.unlock() }
        seconds += 1
        return Date(timeIntervalSince1970: seconds)
    }
}
