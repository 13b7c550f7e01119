@testable import StratusConfig
import Testing

@Suite struct PropertiesParserTests {
    @Test func readsSeparatorsCommentsAndContinuations() throws {
        let text = """
            # a comment
            ! another comment

            server.port = 8080
            name: iam
            greeting hello world
            path=/a/\\
                 b/\\
                 c
            empty=
            escaped\\=key=tab\\there\\u00e9
            """
        let entries = try PropertiesParser.parse(text)
        #expect(entries.map(\.key) == ["server.port", "name", "greeting", "path", "empty", "escaped=key"])
        #expect(entries.map(\.value) == ["8080", "iam", "hello world", "/a/b/c", "", "tab\there\u{e9}"])
        #expect(entries.map(\.line) == [4, 5, 6, 7, 10, 11])
    }

    @Test func duplicateKeyNamesBothLines() throws {
        #expect(throws: ContentProblem(line: 3, column: 1, reason: "duplicate key \"a\", first defined on line 1; remove one of them")) {
            try PropertiesParser.parse("a=1\nb=2\na=3\n")
        }
    }

    @Test func invalidUnicodeEscapeNamesLine() throws {
        do {
            _ = try PropertiesParser.parse("a=1\nb=\\u12x4\n")
            Issue.record("the invalid escape parsed")
        } catch {
            #expect(error.line == 2)
            #expect(error.reason.contains("invalid escape \\u12x4"))
        }
    }

    @Test func windowsLineEndings() throws {
        let entries = try PropertiesParser.parse("a=1\r\nb=2\r\n")
        #expect(entries.map(\.value) == ["1", "2"])
        #expect(entries.map(\.line) == [1, 2])
    }
}
