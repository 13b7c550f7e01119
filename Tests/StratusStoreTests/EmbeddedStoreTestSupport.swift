import Foundation
import StratusTestSupport
@testable import StratusStore

/// A temporary directory removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var databasePath: String { path + "/store.db" }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension EmbeddedStore.Configuration {
    /// A configuration with a manual clock and no background lease checks
    /// that could race a test.
    static func testing(path: String?, clock: ManualNanosecondClock) -> Self {
        var configuration = Self(path: path)
        configuration.clock = { clock.now() }
        configuration.leaseCheckInterval = .seconds(3600)
        return configuration
    }
}
