import Testing
@testable import StratusConfig

/// Parses `text` as the file `t.yaml`.
func parseYAML(_ text: String) throws(ConfigurationError) -> ConfigNode {
    try YAMLDocumentParser.parse(Array(text.utf8), origin: .file("t.yaml"), firstID: 0).root
}

/// Parses `text` and returns the message of the error it throws.
func parseError(_ text: String) -> String? {
    do {
        _ = try parseYAML(text)
        return nil
    } catch {
        return error.description
    }
}

extension ConfigNode {
    subscript(key: String) -> ConfigNode? {
        guard case .mapping(let mapping) = content else { return nil }
        return mapping.entry(forKey: key)?.value
    }

    subscript(index: Int) -> ConfigNode? {
        guard case .sequence(let elements) = content, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    var keys: [String] {
        guard case .mapping(let mapping) = content else { return [] }
        return mapping.entries.map(\.key)
    }

    var text: String? { scalar?.text }
    var position: [Int] { [location.line, location.column] }
}

@Suite struct YAMLTreeTests {
    @Test func blockMappingKeepsLinesAndColumns() throws {
        let root = try parseYAML("""
            # a comment
            server:
              host: localhost   # trailing comment
              port: 8080
            """)
        #expect(root.keys == ["server"])
        #expect(root["server"]?.position == [3, 3])
        #expect(root["server"]?["port"]?.text == "8080")
        #expect(root["server"]?["port"]?.position == [4, 9])
        guard case .mapping(let mapping) = root["server"]?.content else {
            Issue.record("server is not a mapping")
            return
        }
        #expect(mapping.entries.map(\.keyLocation.line) == [3, 4])
        #expect(mapping.entries.map(\.keyLocation.column) == [3, 3])
        #expect(root.location.origin == .file("t.yaml"))
    }

    @Test func flowCollections() throws {
        let root = try parseYAML("peers: [a, {host: b, port: 2}]\nlabels: {team: core}\n")
        #expect(root["peers"]?[0]?.text == "a")
        #expect(root["peers"]?[1]?["port"]?.text == "2")
        #expect(root["peers"]?[1]?.position == [1, 12])
        #expect(root["labels"]?["team"]?.text == "core")
    }

    @Test func blockSequences() throws {
        let root = try parseYAML("peers:\n  - a\n  - host: b\n    port: 2\n")
        #expect(root["peers"]?[0]?.text == "a")
        #expect(root["peers"]?[1]?["host"]?.text == "b")
        #expect(root["peers"]?[1]?["port"]?.position == [4, 11])
    }

    @Test func scalarStyles() throws {
        let root = try parseYAML("""
            plain: a b
            single: 'it''s'
            double: "tab\\there \\u00e9"
            literal: |
              line one
              line two
            folded: >
              folded
              text
            multiline: first
              second
            """)
        #expect(root["plain"]?.scalar == ConfigScalar(text: "a b", style: .plain))
        #expect(root["single"]?.scalar == ConfigScalar(text: "it's", style: .quoted))
        #expect(root["double"]?.scalar == ConfigScalar(text: "tab\there é", style: .quoted))
        #expect(root["literal"]?.scalar == ConfigScalar(text: "line one\nline two\n", style: .quoted))
        #expect(root["folded"]?.scalar == ConfigScalar(text: "folded text\n", style: .quoted))
        #expect(root["multiline"]?.scalar == ConfigScalar(text: "first second", style: .plain))
    }

    @Test func unicodeText() throws {
        let root = try parseYAML("名前: \"Zoë 👋\"\nemoji: 🚀\n")
        #expect(root["名前"]?.text == "Zoë 👋")
        #expect(root["emoji"]?.text == "🚀")
        #expect(root["emoji"]?.position == [2, 8])
    }

    @Test func aliasCopiesAnchoredNode() throws {
        let root = try parseYAML("base: &base {timeout: 5s, retries: 2}\nserver: *base\nname: &n svc\nother: *n\n")
        #expect(root["server"]?["timeout"]?.text == "5s")
        #expect(root["server"]?.keys == ["timeout", "retries"])
        #expect(root["server"]?.id == root["base"]?.id)
        #expect(root["other"]?.text == "svc")
    }

    @Test func aliasBombRejected() {
        let bomb = """
            a: &a ["x","x","x","x","x","x","x","x","x"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
            i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            """
        #expect(
            parseError(bomb)
                == "t.yaml:6:8: f[0]: alias *e expands the document to more than 100000 nodes, as aliases nested in aliases do in a \"billion laughs\" document; use fewer nested aliases"
        )
    }

    @Test func recursiveAliasRejected() {
        #expect(parseError("a: &a [*a]\n") == "t.yaml:1:8: a[0]: alias *a refers to a node that contains it; a configuration cannot be recursive")
        #expect(parseError("a: &m {b: *m}\n") == "t.yaml:1:11: a.b: alias *m refers to a node that contains it; a configuration cannot be recursive")
    }

    @Test func undefinedAliasRejected() {
        #expect(parseError("a: *nope\n") == "t.yaml:1:4: a: alias *nope refers to no anchor; define &nope before the alias")
        #expect(parseError("a: *later\nb: &later 1\n") == "t.yaml:1:4: a: alias *later refers to no anchor; define &later before the alias")
    }

    @Test func secondDocumentRejected() {
        #expect(
            parseError("a: 1\n---\nb: 2\n")
                == "t.yaml:2:1: a second YAML document starts here, but a config file contains one document; merge the documents or remove the second"
        )
        #expect(parseError("---\na: 1\n...\n---\nb: 2\n")?.hasPrefix("t.yaml:4:1: a second YAML document") == true)
    }

    @Test func duplicateKeyNamesBothLines() {
        #expect(
            parseError("server:\n  port: 1\n  host: a\n  port: 2\n")
                == "t.yaml:4:3: server.port: duplicate key \"port\", first defined on line 2; remove one of them"
        )
        #expect(parseError("{a: 1, a: 2}") == "t.yaml:1:8: a: duplicate key \"a\", first defined on line 1; remove one of them")
    }

    @Test func tabIndentationRejected() {
        #expect(
            parseError("server:\n\tport: 1\n")
                == "t.yaml:2:1: invalid YAML: found character that cannot start any token (while scanning for the next token at line 2, column 1); indent with spaces, because YAML does not allow tabs there"
        )
    }

    @Test func syntaxErrorsCarryLineAndColumn() {
        #expect(
            parseError("a:\n  b: 1\n c: 2\n")
                == "t.yaml:3:2: invalid YAML: did not find expected key (while parsing a block mapping at line 1, column 1); fix the syntax"
        )
        #expect(
            parseError("a: [1, 2\n")
                == "t.yaml:2:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4); fix the syntax"
        )
        #expect(parseError("a: b: c\n") == "t.yaml:1:5: invalid YAML: mapping values are not allowed in this context; fix the syntax")
        #expect(
            parseError("a: 'open\n")
                == "t.yaml:2:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 1, column 4); fix the syntax"
        )
        #expect(parseError("- a\nb: c\n")?.hasPrefix("t.yaml:2:1: invalid YAML: did not find expected '-' indicator") == true)
    }

    @Test func invalidUTF8Located() throws {
        let bytes: [UInt8] = Array("a: 1\nb: ".utf8) + [0xFF] + Array("\n".utf8)
        #expect(throws: ConfigurationError.self) { try YAMLDocumentParser.parse(bytes, origin: .file("t.yaml"), firstID: 0) }
        do {
            _ = try YAMLDocumentParser.parse(bytes, origin: .file("t.yaml"), firstID: 0)
        } catch {
            #expect(error.description == "t.yaml:2:4: invalid YAML: invalid leading UTF-8 octet; fix the syntax")
            #expect(error.code == .invalidYAML)
        }
    }

    @Test func standardTagsAccepted() throws {
        let root = try parseYAML("s: !!str 123\ni: !!int \"42\"\nf: !!float 1\nb: !!bool true\nn: !!null ~\nx: ! 7\nm: !!map {a: 1}\nq: !!seq [1]\n")
        #expect(root["s"]?.scalar == ConfigScalar(text: "123", style: .plain, tag: .string))
        #expect(root["i"]?.scalar == ConfigScalar(text: "42", style: .quoted, tag: .integer))
        #expect(root["f"]?.scalar?.tag == .float)
        #expect(root["b"]?.scalar?.tag == .boolean)
        #expect(root["n"]?.scalar?.tag == .null)
        #expect(root["x"]?.scalar?.tag == .string)
        #expect(root["m"]?["a"]?.text == "1")
        #expect(root["q"]?[0]?.text == "1")
    }

    @Test func taggedValueMustMatchTag() {
        #expect(parseError("a: !!int abc\n") == "t.yaml:1:4: a: the value \"abc\" is tagged !!int but is not an integer; fix the value or remove the tag")
        #expect(parseError("a: !!bool yes\n") == "t.yaml:1:4: a: the value \"yes\" is tagged !!bool but is not true or false; fix the value or remove the tag")
        #expect(parseError("a: !!float x\n")?.contains("is tagged !!float but is not a number") == true)
        #expect(parseError("a: !!null 0\n")?.contains("is tagged !!null but is not null") == true)
    }

    @Test func otherTagsRejected() {
        let rule = "configuration values take only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq, so remove the tag"
        #expect(parseError("a: !!binary aGk=\n") == "t.yaml:1:4: a: unsupported tag !!binary; " + rule)
        #expect(parseError("a: !custom x\n") == "t.yaml:1:4: a: unsupported tag !custom; " + rule)
        #expect(parseError("a: !!set {x}\n") == "t.yaml:1:4: a: unsupported tag !!set; " + rule)
        #expect(parseError("a: !!map [1]\n") == "t.yaml:1:4: a: unsupported tag !!map; " + rule)
    }

    @Test func emptyDocumentsAreEmptyMappings() throws {
        for text in ["", "# only a comment\n", "---\n", "~\n", "null", "\n\n"] {
            let root = try parseYAML(text)
            guard case .mapping(let mapping) = root.content else {
                Issue.record("\(text.debugDescription) did not give a mapping")
                continue
            }
            #expect(mapping.entries.isEmpty, "\(text.debugDescription)")
        }
    }

    @Test func nonScalarKeyRejected() {
        #expect(parseError("? [a, b]\n: 1\n") == "t.yaml:1:3: a mapping key is a sequence or mapping, but configuration keys are scalars")
    }

    @Test func deepNestingRejected() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(parseError(deep) == "t.yaml:1:201: the document nests deeper than 200 levels; flatten it")
        let allowed = String(repeating: "[", count: 150) + String(repeating: "]", count: 150)
        #expect(parseError(allowed) == nil)
    }

    @Test func nodeCountLimited() {
        let large = "[" + Array(repeating: "1", count: YAMLTreeBuilder.maximumNodeCount).joined(separator: ",") + "]"
        #expect(
            parseError(large)
                == "t.yaml:1:200000: [99999]: the document has more than 100000 nodes, more than a config file may have; split it or shorten it"
        )
    }
}
