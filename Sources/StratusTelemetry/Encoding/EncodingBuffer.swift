/// Bytes that an encoder appends to, in memory the buffer owns.
///
/// Encoders write a log line or an export batch as many small pieces. An
/// `Array` append checks uniqueness and capacity on each one, so the bytes
/// are kept behind a plain pointer instead. The type is noncopyable, so
/// exactly one owner frees that memory.
///
/// Sendable because the memory has that one owner: a buffer sent to another
/// task is no longer reachable from the sender.
struct EncodingBuffer: ~Copyable, @unchecked Sendable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// The bytes written so far.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// A copy of the bytes written so far.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// Calls `body` with the bytes written so far, which it must not keep.
    func withUnsafeBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Forgets the bytes written and keeps the memory for the next ones.
    mutating func removeAll() {
        count = 0
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Appends the UTF-8 bytes of `text`, unchanged.
    mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Lets `body` write exactly `length` bytes at the end, then counts them.
    mutating func appendUninitialized(length: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        reserve(length)
        body(UnsafeMutableBufferPointer(start: base + count, count: length))
        count += length
    }

    /// Lets `body` overwrite `length` bytes already written, from `offset`.
    mutating func overwrite(at offset: Int, length: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        precondition(offset >= 0 && offset + length <= count, "overwrite of \(length) bytes at \(offset) is outside the \(count) bytes written")
        body(UnsafeMutableBufferPointer(start: base + offset, count: length))
    }

    /// Moves the bytes from `offset` to the end by `distance` bytes, towards
    /// the end when positive, and adjusts the count. The bytes that a
    /// positive move leaves behind keep their old values until overwritten.
    mutating func shiftTail(from offset: Int, by distance: Int) {
        precondition(offset >= 0 && offset <= count && offset + distance >= 0, "shift by \(distance) from \(offset) is outside the \(count) bytes written")
        guard distance != 0 else { return }
        reserve(max(distance, 0))
        // memmove semantics: the two ranges may overlap.
        UnsafeMutableRawPointer(base + offset + distance).copyMemory(from: base + offset, byteCount: count - offset)
        count += distance
    }

    /// Makes room for `extra` more bytes.
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity {
            grow(toAtLeast: count + extra)
        }
    }

    @inline(never)
    private mutating func grow(toAtLeast minimum: Int) {
        let newCapacity = max(minimum, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
