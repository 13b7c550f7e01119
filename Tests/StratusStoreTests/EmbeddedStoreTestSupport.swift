import Foundation
import Synchronization
@testable import StratusStore

/// A clock that tests move by hand, in nanoseconds.
final class ManualClock: Sendable {
    private let nanoseconds = Atomic<UInt64>(1_000_000_000)

    func now() -> UInt64 { nanoseconds.load(ordering: .relaxed) }

    func advance(by duration: Duration) {
        nanoseconds.add(duration.nanosecondsForTest, ordering: .relaxed)
    }
}

extension Duration {
    var nanosecondsForTest: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}

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
    static func testing(path: String?, clock: ManualClock) -> Self {
        var configuration = Self(path: path)
        configuration.clock = { clock.now() }
        configuration.leaseCheckInterval = .seconds(3600)
        return configuration
    }
}
