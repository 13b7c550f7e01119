import Testing
import StratusLog

@Suite struct MetadataValueTests {
    @Test func literalsBuildEachCase() {
        let text: Logger.MetadataValue = "plain"
        let interpolated: Logger.MetadataValue = "id-\(42)"
        let array: Logger.MetadataValue = ["a", "b"]
        let dictionary: Logger.MetadataValue = ["key": "value"]

        #expect(text == .string("plain"))
        #expect(interpolated == .string("id-42"))
        #expect(array == .array([.string("a"), .string("b")]))
        #expect(dictionary == .dictionary(["key": .string("value")]))
    }

    @Test func descriptionOfEachCase() {
        #expect(Logger.MetadataValue.string("x").description == "x")
        #expect(Logger.MetadataValue.stringConvertible(3.5).description == "3.5")
        #expect(Logger.MetadataValue.array(["a", "b"]).description == "[a, b]")
        #expect(Logger.MetadataValue.dictionary(["b": "2", "a": "1"]).description == "[a: 1, b: 2]")
    }

    @Test func stringConvertibleComparesByDescription() {
        #expect(Logger.MetadataValue.stringConvertible(7) == .stringConvertible("7"))
        #expect(Logger.MetadataValue.stringConvertible(7) != .string("7"))
    }

    @Test func messageFromInterpolation() {
        let name = "users"
        let message: Logger.Message = "loaded \(name) in \(12) ms"
        #expect(message.description == "loaded users in 12 ms")
    }
}
