/// Writes protobuf binary wire format (proto3) into an `EncodingBuffer`,
/// field by field, for encoders that build messages by hand.
///
/// A nested message is written in place between `beginMessage` and
/// `endMessage`. Its length prefix is a varint whose size depends on the
/// length. So `beginMessage` leaves room for the size the caller expects,
/// and `endMessage` writes the length there. When the length needs more or
/// fewer bytes than reserved, `endMessage` moves the message's bytes first,
/// so every length is written in its shortest form, as protobuf encoders
/// write it.
///
/// The writer does not apply proto3's rule that fields equal to their default
/// are left out: the caller decides, because a member of a `oneof` must be
/// written even when it holds the default.
struct ProtobufWriter: ~Copyable {
    /// The wire types of the protobuf encoding specification.
    enum WireType: UInt32 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    /// The position of a nested message's length prefix.
    struct MessageStart {
        fileprivate let lengthOffset: Int
        fileprivate let reservedLengthSize: Int
    }

    private var buffer: EncodingBuffer

    init(buffer: consuming EncodingBuffer) {
        self.buffer = buffer
    }

    init(capacity: Int = 256) {
        buffer = EncodingBuffer(capacity: capacity)
    }

    /// Ends writing and returns the buffer with the encoded bytes.
    consuming func finish() -> EncodingBuffer {
        buffer
    }

    /// A copy of the bytes written so far.
    var bytes: [UInt8] { buffer.bytes }

    /// Writes a field key: the field number and the wire type.
    mutating func writeTag(_ field: UInt32, _ wireType: WireType) {
        writeVarint(UInt64(field << 3 | wireType.rawValue))
    }

    /// Writes `value` in base-128 groups of 7 bits, least significant first.
    mutating func writeVarint(_ value: UInt64) {
        // Tags, lengths of keys and most small numbers fit in one byte.
        guard value >= 0x80 else {
            buffer.append(UInt8(truncatingIfNeeded: value))
            return
        }
        buffer.appendUninitialized(length: Self.varintSize(value)) { bytes in
            Self.storeVarint(value, in: bytes)
        }
    }

    /// Returns the bytes `value` takes as a varint, 1 to 10.
    static func varintSize(_ value: UInt64) -> Int {
        // Each byte carries 7 bits, and zero still takes one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    private static func storeVarint(_ value: UInt64, in bytes: UnsafeMutableBufferPointer<UInt8>) {
        var remaining = value
        var index = 0
        let last = bytes.count - 1
        while index < last {
            bytes[index] = UInt8(truncatingIfNeeded: remaining) | 0x80
            remaining >>= 7
            index += 1
        }
        bytes[last] = UInt8(truncatingIfNeeded: remaining)
    }

    /// Writes an unsigned varint field (`uint32`, `uint64`, an enum).
    mutating func writeVarintField(_ field: UInt32, _ value: UInt64) {
        writeTag(field, .varint)
        writeVarint(value)
    }

    /// Writes an `int64` field. A negative value takes ten bytes, because
    /// `int64` carries the two's complement, unlike `sint64`.
    mutating func writeInt64Field(_ field: UInt32, _ value: Int64) {
        writeVarintField(field, UInt64(bitPattern: value))
    }

    mutating func writeBoolField(_ field: UInt32, _ value: Bool) {
        writeVarintField(field, value ? 1 : 0)
    }

    /// Writes a `fixed64` field: eight bytes, little-endian.
    mutating func writeFixed64Field(_ field: UInt32, _ value: UInt64) {
        writeTag(field, .fixed64)
        buffer.appendUninitialized(length: 8) { bytes in
            UnsafeMutableRawBufferPointer(bytes).storeBytes(of: value.littleEndian, as: UInt64.self)
        }
    }

    /// Writes a `fixed32` field: four bytes, little-endian.
    mutating func writeFixed32Field(_ field: UInt32, _ value: UInt32) {
        writeTag(field, .fixed32)
        buffer.appendUninitialized(length: 4) { bytes in
            UnsafeMutableRawBufferPointer(bytes).storeBytes(of: value.littleEndian, as: UInt32.self)
        }
    }

    /// Writes a `double` field as its IEEE 754 bits, so NaN and the
    /// infinities survive.
    mutating func writeDoubleField(_ field: UInt32, _ value: Double) {
        writeFixed64Field(field, value.bitPattern)
    }

    /// Writes a `string` field: the length, then the UTF-8 bytes.
    mutating func writeStringField(_ field: UInt32, _ text: String) {
        // Native strings are contiguous UTF-8, so this borrows the bytes
        // without copying the string.
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            writeLengthDelimited(field, utf8)
        }
        if written == nil {
            var copy = text
            copy.withUTF8 { writeLengthDelimited(field, $0) }
        }
    }

    private mutating func writeLengthDelimited(_ field: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) {
        writeTag(field, .lengthDelimited)
        writeVarint(UInt64(bytes.count))
        buffer.append(bytes)
    }

    /// Writes a `bytes` field of the 8 bytes of `value`, big-endian: a span
    /// id in the byte order of its hex form.
    mutating func writeBigEndianField(_ field: UInt32, _ value: UInt64) {
        writeTag(field, .lengthDelimited)
        writeVarint(8)
        buffer.appendUninitialized(length: 8) { bytes in
            UnsafeMutableRawBufferPointer(bytes).storeBytes(of: value.bigEndian, as: UInt64.self)
        }
    }

    /// Writes a `bytes` field of the 16 bytes of `high` and then `low`,
    /// big-endian: a trace id in the byte order of its hex form.
    mutating func writeBigEndianField(_ field: UInt32, _ high: UInt64, _ low: UInt64) {
        writeTag(field, .lengthDelimited)
        writeVarint(16)
        buffer.appendUninitialized(length: 16) { bytes in
            let raw = UnsafeMutableRawBufferPointer(bytes)
            raw.storeBytes(of: high.bigEndian, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
    }

    /// Starts a length-delimited field holding a nested message, and leaves
    /// `reservedLengthSize` bytes for its length: 1 for messages under 128
    /// bytes, 2 under 16 KiB, 3 under 2 MiB. A wrong guess costs a move of
    /// the message's bytes in `endMessage`, never a wrong encoding.
    mutating func beginMessage(_ field: UInt32, reservedLengthSize: Int = 1) -> MessageStart {
        writeTag(field, .lengthDelimited)
        let start = MessageStart(lengthOffset: buffer.count, reservedLengthSize: reservedLengthSize)
        buffer.appendUninitialized(length: reservedLengthSize) { _ in }
        return start
    }

    /// Ends the message `start` began and writes its length.
    mutating func endMessage(_ start: MessageStart) {
        let contentOffset = start.lengthOffset + start.reservedLengthSize
        let length = UInt64(buffer.count - contentOffset)
        let lengthSize = Self.varintSize(length)
        if lengthSize != start.reservedLengthSize {
            buffer.shiftTail(from: contentOffset, by: lengthSize - start.reservedLengthSize)
        }
        buffer.overwrite(at: start.lengthOffset, length: lengthSize) { bytes in
            Self.storeVarint(length, in: bytes)
        }
    }
}
