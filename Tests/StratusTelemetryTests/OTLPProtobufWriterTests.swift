@testable import StratusTelemetry
import Testing

@Suite struct OTLPProtobufWriterTests {
    private func written(_ write: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var writer = ProtobufWriter(capacity: 16)
        write(&writer)
        return writer.bytes
    }

    static let varintCases: [(value: UInt64, bytes: [UInt8])] = [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (300, [0xAC, 0x02]),
        (16_383, [0xFF, 0x7F]),
        (16_384, [0x80, 0x80, 0x01]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: varintCases)
    func varintBytes(value: UInt64, expected: [UInt8]) {
        #expect(written { $0.writeVarint(value) } == expected)
        #expect(ProtobufWriter.varintSize(value) == expected.count)
    }

    @Test func negativeInt64TakesTenBytes() {
        let bytes = written { $0.writeInt64Field(3, -1) }
        #expect(bytes == [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test func fixedFieldsAreLittleEndian() {
        let bytes = written { writer in
            writer.writeFixed64Field(7, 0x0102_0304_0506_0708)
            writer.writeFixed32Field(16, 0x0000_0301)
        }
        #expect(bytes == [0x39, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x85, 0x01, 0x01, 0x03, 0x00, 0x00])
    }

    @Test func idsAreBigEndianBytes() {
        let bytes = written { writer in
            writer.writeBigEndianField(1, 0x4BF9_2F35_77B3_4DA6, 0xA3CE_929D_0E0E_4736)
            writer.writeBigEndianField(2, 0x00F0_67AA_0BA9_02B7)
        }
        let expectedTrace: [UInt8] = [0x4B, 0xF9, 0x2F, 0x35, 0x77, 0xB3, 0x4D, 0xA6, 0xA3, 0xCE, 0x92, 0x9D, 0x0E, 0x0E, 0x47, 0x36]
        let expectedSpan: [UInt8] = [0x00, 0xF0, 0x67, 0xAA, 0x0B, 0xA9, 0x02, 0xB7]
        #expect(bytes == [0x0A, 0x10] + expectedTrace + [0x12, 0x08] + expectedSpan)
    }

    @Test func stringFieldIsUTF8WithLength() {
        let bytes = written { $0.writeStringField(5, "caf\u{e9}") }
        #expect(bytes == [0x2A, 0x05, 0x63, 0x61, 0x66, 0xC3, 0xA9])
    }

    @Test func doubleFieldKeepsNaNBits() {
        let bytes = written { $0.writeDoubleField(4, .nan) }
        #expect(bytes.first == 0x21)
        let bits = bytes.dropFirst().reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(Double(bitPattern: bits).isNaN)
    }

    @Test func nestedMessageLongerThanReserved() {
        let text = String(repeating: "x", count: 200)
        let bytes = written { writer in
            let start = writer.beginMessage(9, reservedLengthSize: 1)
            writer.writeStringField(1, text)
            writer.endMessage(start)
            writer.writeVarintField(2, 1)
        }
        // 200 text bytes after a tag and a 2-byte length: 203 bytes, whose
        // length takes 2 bytes although 1 was reserved.
        #expect(Array(bytes.prefix(3)) == [0x4A, 0xCB, 0x01])
        #expect(Array(bytes[3..<6]) == [0x0A, 0xC8, 0x01])
        #expect(bytes[6..<206].allSatisfy { $0 == UInt8(ascii: "x") })
        #expect(Array(bytes.suffix(2)) == [0x10, 0x01])
        #expect(bytes.count == 208)
    }

    @Test func nestedMessageShorterThanReserved() {
        let bytes = written { writer in
            let outer = writer.beginMessage(1, reservedLengthSize: 3)
            let inner = writer.beginMessage(2, reservedLengthSize: 2)
            writer.writeBoolField(1, true)
            writer.endMessage(inner)
            writer.endMessage(outer)
        }
        #expect(bytes == [0x0A, 0x04, 0x12, 0x02, 0x08, 0x01])
    }

    @Test func emptyNestedMessage() {
        let bytes = written { writer in
            let start = writer.beginMessage(11, reservedLengthSize: 2)
            writer.endMessage(start)
        }
        #expect(bytes == [0x5A, 0x00])
    }

    @Test func bufferGrowsAcrossWrites() {
        var buffer = EncodingBuffer(capacity: 16)
        for value in 0..<1_000 {
            buffer.append(UInt8(truncatingIfNeeded: value))
        }
        #expect(buffer.count == 1_000)
        #expect(buffer.capacity >= 1_000)
        #expect(buffer.bytes == (0..<1_000).map { UInt8(truncatingIfNeeded: $0) })
        buffer.removeAll()
        #expect(buffer.count == 0)
        #expect(buffer.capacity >= 1_000)
    }

    @Test func bodyBufferReuseMatchesFreshEncode() {
        let resource = TracingResource(serviceName: "buffer-test")
        let bodyBuffer = OTLPBodyBuffer()
        let batches = [
            (0..<40).map { makeTestSpanData(name: "first \($0)", index: $0) },
            [makeTestSpanData(name: "second")],
            (0..<3).map { makeTestSpanData(name: "third \($0)", index: $0) },
        ]
        var firstBody: [UInt8] = []
        for (number, batch) in batches.enumerated() {
            let body = bodyBuffer.encode(estimatedSize: 16) { buffer in
                OTLPProtobufEncoder.encode(batch, resource: resource, into: &buffer)
            }
            #expect(body == OTLPProtobufEncoder.encode(batch, resource: resource), "batch \(number)")
            if number == 0 {
                // A body still in use must not change when the next one is encoded.
                firstBody = body
            }
        }
        #expect(firstBody == OTLPProtobufEncoder.encode(batches[0], resource: resource))
    }
}
