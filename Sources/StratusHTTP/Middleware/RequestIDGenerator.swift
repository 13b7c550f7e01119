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

    /// The 16 hex digits of the prefix and the `-` after them, as UTF-8.
    private let prefix: [UInt8]
    private let counter = Atomic<UInt64>(0)

    init(prefix: UInt64 = UInt64.random(in: .min ... .max)) {
        var bytes = [UInt8](repeating: UInt8(ascii: "-"), count: 17)
        Self.writeHexDigits(prefix, count: 16, into: &bytes[0..<16])
        self.prefix = bytes
    }

    /// Returns the next id. The string is written in place in one
    /// allocation, because formatting the counter and concatenating it with
    /// the prefix would allocate twice for every request.
    func next() -> String {
        let value = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let digitCount = max(1, (64 - value.leadingZeroBitCount + 3) / 4)
        let length = prefix.count + digitCount
        return String(unsafeUninitializedCapacity: length) { buffer in
            _ = buffer.initialize(from: prefix)
            Self.writeHexDigits(value, count: digitCount, into: &buffer[prefix.count..<length])
            return length
        }
    }

    /// Writes the lowest `count` hex digits of `value`, lowercase, most
    /// significant first.
    private static func writeHexDigits<Digits: MutableCollection<UInt8> & BidirectionalCollection>(
        _ value: UInt64,
        count: Int,
        into digits: inout Digits
    ) {
        var remaining = value
        var index = digits.endIndex
        for _ in 0..<count {
            digits.formIndex(before: &index)
            let nibble = UInt8(truncatingIfNeeded: remaining & 0x0F)
            digits[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            remaining >>= 4
        }
    }
}
