import StratusStore
import Synchronization

/// The shared counter of a cluster-wide limit: one store key whose value is
/// `"<window> <tokens leased>"`, changed only by compare-and-swap
/// transactions on its mod revision, so two replicas can never lease the
/// same token.
///
/// A lease reads nothing first: it compares against the revision of this
/// replica's last write, and a transaction that fails returns the current
/// value in the same round trip. So a lease costs one transaction when no
/// other replica wrote in between, and one more per conflict.
final class WindowCounter: Sendable {
    let store: any KeyValueStore
    let key: String

    private struct Snapshot {
        var window: Int64
        var used: Int64
        var modRevision: Int64
    }

    /// The value and revision last seen; nil before the first lease.
    private let snapshot = Mutex<Snapshot?>(nil)
    private let counts = Mutex(Counts())

    struct Counts: Hashable {
        /// Transactions sent, successful or not.
        var transactions = 0
        /// Transactions that failed their comparison because another
        /// replica wrote first.
        var conflicts = 0
    }

    /// The maximum number of transactions one lease sends before giving up.
    static let maxAttempts = 16

    init(store: any KeyValueStore, key: String) {
        self.store = store
        self.key = key
    }

    var statistics: Counts { counts.withLock { $0 } }

    /// Takes up to `count` of the `quota` tokens of `window`. Returns the
    /// tokens taken and the window's counter afterwards. Throws the store's
    /// error, or `LeaseContention` after `maxAttempts` conflicts.
    ///
    /// When the stored window is later than `window`, another replica's
    /// clock is ahead. This replica then takes nothing until its clock
    /// reaches that window, so the error is towards admitting too little.
    func lease(window: Int64, count: Int64, quota: Int64) async throws -> (granted: Int64, used: Int64) {
        var known = snapshot.withLock { $0 }
        for _ in 0..<Self.maxAttempts {
            let used: Int64
            switch known {
            case let known? where known.window == window: used = known.used
            case let known? where known.window > window: return (0, quota)
            default: used = 0
            }
            let granted = min(count, quota - used)
            guard granted > 0 else { return (0, used) }
            let compare = known.map { Compare(key: key, .modRevision($0.modRevision), .equal) } ?? Compare(key: key, .version(0), .equal)
            let request = TransactionRequest(
                compare: [compare],
                success: [.put(PutRequest(key: key, value: "\(window) \(used + granted)"))],
                failure: [.range(RangeRequest(.key(key)))]
            )
            let response = try await store.transaction(request)
            counts.withLock { $0.transactions += 1 }
            if response.succeeded {
                let written = Snapshot(window: window, used: used + granted, modRevision: response.revision)
                snapshot.withLock { $0 = written }
                return (granted, used + granted)
            }
            counts.withLock { $0.conflicts += 1 }
            known = Self.parse(response)
        }
        throw LeaseContention(key: key, attempts: Self.maxAttempts)
    }

    /// Reads the key from a failed transaction's range.
    private static func parse(_ response: TransactionResponse) -> Snapshot? {
        guard case .range(let range)? = response.responses.first, let keyValue = range.keyValues.first else { return nil }
        let parts = keyValue.valueString.split(separator: " ")
        // A value this code did not write is overwritten as an old window.
        guard parts.count == 2, let window = Int64(parts[0]), let used = Int64(parts[1]) else {
            return Snapshot(window: .min, used: 0, modRevision: keyValue.modRevision)
        }
        return Snapshot(window: window, used: used, modRevision: keyValue.modRevision)
    }
}

/// A lease that lost the compare-and-swap race too many times in a row.
struct LeaseContention: Error, CustomStringConvertible {
    let key: String
    let attempts: Int

    var description: String {
        "the rate limit counter \(key) changed under \(attempts) transactions in a row"
    }
}
