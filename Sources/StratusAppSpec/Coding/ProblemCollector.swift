import Synchronization

/// The decoding errors of one app spec load, gathered so that the load
/// reports every invalid value at once instead of stopping at the first.
///
/// A load installs a collector as `current` for its duration. The model's
/// `init(from:)` decodes each field through `recovering`, which records a
/// failure here and goes on with a fallback value. Outside a load, when no
/// collector is installed (decoding the JSON wire format), `recovering`
/// throws as usual.
final class ProblemCollector: Sendable {
    @TaskLocal static var current: ProblemCollector?

    private let errors = Mutex<[any Error]>([])
    private let skipped = Mutex<Set<Int>>([])

    var recorded: [any Error] {
        errors.withLock { $0 }
    }

    /// The indexes of services that did not decode at all, which
    /// validation leaves out.
    var skippedServices: Set<Int> {
        skipped.withLock { $0 }
    }

    func skipService(at index: Int) {
        _ = skipped.withLock { $0.insert(index) }
    }

    func record(_ error: any Error) {
        errors.withLock { $0.append(error) }
    }

    /// Returns `body`'s value, or records its error and returns `fallback`
    /// when a collector is installed.
    static func recovering<T>(_ fallback: T, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            guard let current else { throw error }
            current.record(error)
            return fallback
        }
    }
}
