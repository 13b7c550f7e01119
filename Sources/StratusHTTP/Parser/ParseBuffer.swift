/// Bytes received but not yet parsed.
///
/// Consumed bytes are dropped lazily: the storage is compacted only when the
/// consumed prefix is large, and released when it is empty and oversized, so an
/// idle keep-alive connection holds no large buffer.
struct ParseBuffer {
    private(set) var storage: [UInt8] = []
    private(set) var readIndex = 0

    var readableCount: Int { storage.count - readIndex }
    var isEmpty: Bool { readIndex == storage.count }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if readIndex > 0 && readIndex == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 64 * 1024)
            readIndex = 0
        } else if readIndex >= 64 * 1024 && readIndex * 2 >= storage.count {
            storage.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        storage.append(contentsOf: bytes)
    }

    mutating func consume(_ count: Int) {
        readIndex += count
        if readIndex == storage.count && storage.capacity > 16 * 1024 {
            storage = []
            readIndex = 0
        }
    }

    func withReadableBytes<R>(_ body: (UnsafeRawBufferPointer) throws(HTTPParseError) -> R) throws(HTTPParseError) -> R {
        let start = readIndex
        let result: Result<R, HTTPParseError> = storage.withUnsafeBytes { raw in
            do throws(HTTPParseError) {
                return .success(try body(UnsafeRawBufferPointer(rebasing: raw[start...])))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// One step of reading a body out of a `ParseBuffer`.
enum BodyStep {
    case data([UInt8])
    case end
    case needMore
}

extension ParseBuffer {
    /// Decodes the next piece of a body from the buffered bytes and consumes
    /// what the decoder used. Shared by the request and response parsers.
    mutating func nextBodyStep(_ decoder: inout BodyDecoder) throws(HTTPParseError) -> BodyStep {
        let (step, consumed) = try withReadableBytes { bytes throws(HTTPParseError) -> (BodyStep, Int) in
            let (output, consumed) = try decoder.decode(bytes, from: 0)
            switch output {
            case .data(let range): return (.data(Array(bytes[range])), consumed)
            case .end: return (.end, consumed)
            case .needMore: return (.needMore, consumed)
            }
        }
        consume(consumed)
        return step
    }
}
