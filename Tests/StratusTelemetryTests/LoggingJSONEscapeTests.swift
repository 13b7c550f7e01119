@testable import StratusTelemetry
import Testing

@Suite struct LoggingJSONEscapeTests {
    /// Returns the index a byte-by-byte scan finds.
    private func naiveFirstIndex(_ bytes: [UInt8], from start: Int) -> Int {
        bytes.indices.dropFirst(start).first { JSONEscapeScan.needsEscape(bytes[$0]) } ?? bytes.count
    }

    private func scan(_ bytes: [UInt8], from start: Int = 0) -> Int {
        bytes.withUnsafeBufferPointer { JSONEscapeScan.firstIndex(in: $0, from: start) }
    }

    @Test func everyByteAtEveryPosition() {
        for byte in UInt8.min...UInt8.max {
            for position in 0..<19 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 19)
                bytes[position] = byte
                let expected = JSONEscapeScan.needsEscape(byte) ? position : bytes.count
                #expect(scan(bytes) == expected, "byte \(byte) at \(position)")
            }
        }
    }

    @Test func escapeSetIsControlsQuoteBackslash() {
        let escaped = (UInt8.min...UInt8.max).filter(JSONEscapeScan.needsEscape)
        #expect(escaped == Array(0..<0x20) + [UInt8(ascii: "\""), UInt8(ascii: "\\")])
    }

    @Test func wordTestMatchesBytes() {
        var generator = SplitMix64(seed: 42)
        let interesting: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0x9F, 0xA2, 0xDC, 0xFF]
        for round in 0..<20_000 {
            var word: UInt64 = 0
            var expected = false
            for _ in 0..<8 {
                let byte = round % 2 == 0
                    ? interesting[Int(generator.next() % UInt64(interesting.count))]
                    : UInt8(truncatingIfNeeded: generator.next())
                word = word << 8 | UInt64(byte)
                expected = expected || JSONEscapeScan.needsEscape(byte)
            }
            #expect(JSONEscapeScan.mayContainEscape(word) == expected, "word \(String(word, radix: 16))")
        }
    }

    @Test func randomTextMatchesNaiveScan() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let count = Int(generator.next() % 40)
            let bytes = (0..<count).map { _ in
                // Mostly printable text with an occasional byte to escape.
                generator.next() % 16 == 0 ? UInt8(truncatingIfNeeded: generator.next() % 0x23) : UInt8(0x41 + generator.next() % 60)
            }
            let start = count == 0 ? 0 : Int(generator.next() % UInt64(count))
            #expect(scan(bytes, from: start) == naiveFirstIndex(bytes, from: start), "\(bytes) from \(start)")
        }
    }

    @Test func emptyAndPastEnd() {
        #expect(scan([]) == 0)
        #expect(scan(Array("abc".utf8), from: 3) == 3)
    }
}
