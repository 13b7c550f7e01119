import Testing
@testable import StratusConfig

private func plain(_ text: String) -> ConfigScalar { ConfigScalar(text: text, style: .plain) }
private func quoted(_ text: String) -> ConfigScalar { ConfigScalar(text: text, style: .quoted) }
private func override(_ text: String) -> ConfigScalar { ConfigScalar(text: text, style: .override) }

@Suite struct ScalarDecodingTests {
    @Test(arguments: ["true", "True", "TRUE", "false", "False", "FALSE"])
    func booleansOfCoreSchema(text: String) throws {
        #expect(try ScalarDecoding.bool(plain(text)).get() == text.lowercased().hasPrefix("t"))
        #expect(try ScalarDecoding.bool(override(text)).get() == text.lowercased().hasPrefix("t"))
    }

    @Test(arguments: ["yes", "no", "on", "off", "Yes", "NO", "On", "OFF", "y", "n"])
    func yamlOneOneBooleansRejectedWithHint(text: String) {
        let expected = ScalarMismatch(expected: "true or false", hint: "YAML 1.2 reads yes, no, on and off as strings; write true or false")
        #expect(ScalarDecoding.bool(plain(text)) == .failure(expected))
    }

    @Test(arguments: ["tRue", "1", "0", "", "enabled"])
    func otherBooleanTextsRejected(text: String) {
        #expect(ScalarDecoding.bool(plain(text)) == .failure(ScalarMismatch(expected: "true or false")))
    }

    @Test func quotedBooleanRejected() throws {
        #expect(ScalarDecoding.bool(quoted("true")) == .failure(ScalarMismatch(expected: "true or false", hint: "a quoted value is a string; remove the quotes")))
        #expect(ScalarDecoding.bool(ConfigScalar(text: "true", style: .plain, tag: .string)) == .failure(ScalarMismatch(expected: "true or false", hint: "the value is tagged !!str; remove the tag")))
        #expect(try ScalarDecoding.bool(ConfigScalar(text: "true", style: .quoted, tag: .boolean)).get() == true)
    }

    @Test func integersOfCoreSchema() throws {
        let cases: [(String, Int)] = [("0", 0), ("42", 42), ("-17", -17), ("+5", 5), ("007", 7), ("0x1F", 31), ("0xff", 255), ("0o17", 15)]
        for (text, value) in cases {
            #expect(try ScalarDecoding.integer(plain(text), as: Int.self).get() == value, "\(text)")
        }
        #expect(try ScalarDecoding.integer(plain("-9223372036854775808"), as: Int64.self).get() == .min)
        #expect(try ScalarDecoding.integer(plain("18446744073709551615"), as: UInt64.self).get() == .max)
        #expect(try ScalarDecoding.integer(ConfigScalar(text: "42", style: .quoted, tag: .integer), as: Int.self).get() == 42)
    }

    @Test(arguments: ["1.5", "abc", "0x", "0o", "0b101", "1_000", "0xG1", "-0x10", "1e3", "", "~", "12abc", " 1", "0o8"])
    func invalidIntegersRejected(text: String) {
        #expect(ScalarDecoding.integer(plain(text), as: Int.self) == .failure(ScalarMismatch(expected: "an integer")))
    }

    @Test func integerRangeNamed() {
        #expect(ScalarDecoding.integer(plain("300"), as: UInt8.self) == .failure(ScalarMismatch(expected: "an integer from 0 to 255")))
        #expect(ScalarDecoding.integer(plain("-1"), as: UInt16.self) == .failure(ScalarMismatch(expected: "an integer from 0 to 65535")))
        #expect(ScalarDecoding.integer(plain("-129"), as: Int8.self) == .failure(ScalarMismatch(expected: "an integer from -128 to 127")))
        #expect(ScalarDecoding.integer(plain("0x100"), as: UInt8.self) == .failure(ScalarMismatch(expected: "an integer from 0 to 255")))
        #expect(
            ScalarDecoding.integer(plain("9223372036854775808"), as: Int.self)
                == .failure(ScalarMismatch(expected: "an integer from -9223372036854775808 to 9223372036854775807"))
        )
        #expect(ScalarDecoding.integer(plain("abc"), as: UInt8.self) == .failure(ScalarMismatch(expected: "an integer from 0 to 255")))
    }

    @Test func quotedIntegerRejected() throws {
        #expect(ScalarDecoding.integer(quoted("8080"), as: Int.self) == .failure(ScalarMismatch(expected: "an integer", hint: "a quoted value is a string; remove the quotes")))
        #expect(try ScalarDecoding.integer(override("8080"), as: Int.self).get() == 8080)
    }

    @Test func floatsOfCoreSchema() throws {
        let cases: [(String, Double)] = [
            ("1.5", 1.5), ("-2e3", -2000), (".5", 0.5), ("5.", 5), ("1E+2", 100), ("+0.25", 0.25), ("7", 7), ("0x10", 16), ("0o10", 8),
            (".inf", .infinity), ("-.Inf", -.infinity), ("+.INF", .infinity),
        ]
        for (text, value) in cases {
            #expect(try ScalarDecoding.float(plain(text), as: Double.self).get() == value, "\(text)")
        }
        #expect(try ScalarDecoding.float(plain(".nan"), as: Double.self).get().isNaN)
        #expect(try ScalarDecoding.float(plain(".NaN"), as: Float.self).get().isNaN)
        #expect(try ScalarDecoding.float(plain("0.1"), as: Float.self).get() == Float(0.1))
    }

    @Test(arguments: ["abc", "1.2.3", "e5", "inf", "nan", "Infinity", ".", "-", "1e", "1,5", "", "0x1p3"])
    func invalidFloatsRejected(text: String) {
        #expect(ScalarDecoding.float(plain(text), as: Double.self) == .failure(ScalarMismatch(expected: "a number")))
    }

    @Test func floatOutOfRangeRejected() {
        #expect(ScalarDecoding.float(plain("1e400"), as: Double.self) == .failure(ScalarMismatch(expected: "a number", hint: "out of range for Double")))
        #expect(ScalarDecoding.float(plain("1e39"), as: Float.self) == .failure(ScalarMismatch(expected: "a number", hint: "out of range for Float")))
    }

    @Test(arguments: ["", "~", "null", "Null", "NULL"])
    func plainNullWords(text: String) {
        #expect(ScalarDecoding.isNull(plain(text)))
        #expect(ScalarDecoding.isNull(override(text)))
        #expect(!ScalarDecoding.isNull(quoted(text)))
        #expect(!ScalarDecoding.isNull(ConfigScalar(text: text, style: .plain, tag: .string)))
    }

    @Test func stringsTakeTextAsWritten() throws {
        for text in ["1.10", "true", "0x1F", "yes", "héllo wörld", "a: b"] {
            #expect(try ScalarDecoding.string(plain(text)).get() == text)
        }
        #expect(try ScalarDecoding.string(quoted("~")).get() == "~")
        #expect(try ScalarDecoding.string(quoted("")).get() == "")
        #expect(try ScalarDecoding.string(override("")).get() == "")
        #expect(try ScalarDecoding.string(override("null")).get() == "null")
        #expect(try ScalarDecoding.string(ConfigScalar(text: "null", style: .plain, tag: .string)).get() == "null")
    }

    @Test func plainNullIsNotAString() {
        #expect(ScalarDecoding.string(plain("")) == .failure(ScalarMismatch(expected: "a string", hint: "write \"\" for an empty string")))
        #expect(ScalarDecoding.string(plain("null")) == .failure(ScalarMismatch(expected: "a string", hint: "quote it (\"null\") for the text")))
        #expect(ScalarDecoding.string(ConfigScalar(text: "~", style: .plain, tag: .null)) == .failure(ScalarMismatch(expected: "a string", hint: "quote it (\"~\") for the text")))
    }
}
