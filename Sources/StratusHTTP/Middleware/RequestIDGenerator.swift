import Synchronization

/// Generates request ids: a random 64-bit prefix chosen once per process,
/// then a counter (`5f0c9a1e7b3d2c48-1a`).
///
/// Ids are unique within one process run, and ids of different processes
/// differ with high probability because of the random prefix. They are not
/// unguessable: anyone who has one id can predict the next ones, so never use a
/// request id as a secret or a capability. The counter was chosen over fresh
/// random bytes per id because it costs one atomic increment instead of a
/// `getrandom` call per request.
final class RequestIDGenerator: Sendable {
    static let shared = RequestIDGenerator()

    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init(prefix: UInt64 = UInt64.random(in: .min ... .max)) {
        let digits = String(prefix, radix: 16)
        self.prefix = String(repeating: "0", count: 16 - digits.count) + digits + "-"
    }

    func next() -> String {
        let value = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + String(value, radix: 16)
    }
}
