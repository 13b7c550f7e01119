@testable import StratusHTTP
import Testing

@Suite("Field value scan")
struct FieldValueScanTests {
    /// Returns the offset of the first byte the table rejects, checked one byte at a time.
    static func reference(_ bytes: [UInt8]) -> Int? {
        bytes.firstIndex { !ByteClass.fieldValue[Int($0)] }
    }

    static func scan(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { ByteClass.firstInvalidFieldValueByte($0) }
    }

    @Test("every byte at every offset")
    func everyByteAtEveryOffset() {
        // 19 bytes: two whole words and a tail, so each offset falls in a
        // word or in the tail.
        for byte in 0...255 {
            for offset in 0..<19 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 19)
                bytes[offset] = UInt8(byte)
                #expect(Self.scan(bytes) == Self.reference(bytes), "byte \(byte) at offset \(offset)")
            }
        }
    }

    @Test("tab passes, later byte found")
    func tabPassesLaterByteFound() {
        // A tab sends its word to the byte-by-byte check, which must go on past it.
        var bytes = Array("Bearer\tabc.def.ghi-0123456789".utf8)
        #expect(Self.scan(bytes) == nil)
        bytes[20] = 0x0A
        #expect(Self.scan(bytes) == 20)
    }

    @Test("empty and obs-text pass")
    func emptyAndObsTextPass() {
        #expect(Self.scan([]) == nil)
        #expect(Self.scan(Array("caf\u{e9} \u{4e2d}\u{6587}".utf8)) == nil)
        #expect(ByteClass.isValidFieldValue("text/plain; charset=utf-8"))
        #expect(!ByteClass.isValidFieldValue("a\r\nInjected: yes"))
        #expect(!ByteClass.isValidFieldValue("a\u{7f}"))
    }
}
