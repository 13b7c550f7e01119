import CCrypto
import Synchronization

/// Comparison of secrets in time that depends only on their lengths.
enum ConstantTime {
    /// The comparisons made so far in a debug build, so that tests can check
    /// that a policy compared a secret through this function. Release builds
    /// leave it at 0, because every request's cache lookup compares.
    static let comparisons = Atomic<Int>(0)

    /// Returns whether `lhs` and `rhs` are equal, reading every byte when
    /// the lengths match (OpenSSL's CRYPTO_memcmp). Lengths are not
    /// secret: callers compare digests or fixed-size values.
    static func equals(_ lhs: some ContiguousBytes, _ rhs: some ContiguousBytes) -> Bool {
        #if DEBUG
        comparisons.add(1, ordering: .relaxed)
        #endif
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                guard left.count == right.count else { return false }
                guard left.count > 0 else { return true }
                return CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}

/// Contiguous bytes, as Foundation's protocol of that name, without
/// importing Foundation.
protocol ContiguousBytes {
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result
}

extension Array: ContiguousBytes where Element == UInt8 {}
extension ArraySlice: ContiguousBytes where Element == UInt8 {}
extension UnsafeRawBufferPointer: ContiguousBytes {
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(self)
    }
}
