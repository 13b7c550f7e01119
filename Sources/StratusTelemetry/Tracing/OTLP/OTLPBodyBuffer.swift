import Synchronization

/// The memory an exporter encodes request bodies in, kept from one export to
/// the next, so that a steady stream of batches neither allocates nor
/// touches fresh pages for its bodies.
///
/// Each body is encoded into an `EncodingBuffer` and copied into an array
/// whose storage is reused when the previous request has released it.
/// Because the array is copy-on-write, a body that a request still uses is
/// never changed, and the next export allocates a new array instead.
///
/// Thread safety: `encode` may be called from any task. Concurrent calls
/// are correct; all but one of them encode into memory of their own.
final class OTLPBodyBuffer: Sendable {
    private struct Storage: ~Copyable, Sendable {
        var buffer: EncodingBuffer
        var body: [UInt8] = []
    }

    /// Memory above this many bytes is released after the export, so that one
    /// unusually large batch does not stay allocated for the life of the process.
    static let maxRetainedCapacity = 4 << 20

    // Guarded by the mutex; nil while an export encodes into it.
    private let storage = Mutex<Storage?>(nil)

    /// Returns the body that `encode` appends to an empty buffer, which is
    /// given `estimatedSize` bytes when it has to be allocated.
    func encode(estimatedSize: Int, _ encode: (inout EncodingBuffer) -> Void) -> [UInt8] {
        var memory = storage.withLock { $0.take() } ?? Storage(buffer: EncodingBuffer(capacity: estimatedSize))
        memory.buffer.removeAll()
        encode(&memory.buffer)
        memory.body.removeAll(keepingCapacity: true)
        memory.buffer.withUnsafeBytes { memory.body.append(contentsOf: $0) }
        let body = memory.body
        if memory.buffer.capacity <= Self.maxRetainedCapacity {
            var returned: Storage? = consume memory
            storage.withLock { swap(&$0, &returned) }
        }
        return body
    }
}
