import Testing
@testable import StratusKubernetes

@Suite struct YAMLEmitterTests {
    @Test(arguments: [
        ("plain", "plain"), ("true", "\"true\""), ("No", "\"No\""), ("8080", "\"8080\""), ("-1", "\"-1\""),
        ("", "\"\""), ("*", "\"*\""), ("a: b", "\"a: b\""), ("line\nbreak", "\"line\\nbreak\""),
        ("/healthz", "/healthz"), ("key #comment", "\"key #comment\""), (" padded", "\" padded\""), ("~", "\"~\""),
        (".inf", "\".inf\""), ("back\\slash", "\"back\\\\slash\""),
    ])
    func stringQuoting(text: String, written: String) {
        #expect(YAMLEmitter.quoted(text) == written)
    }

    @Test func nestedStructure() {
        let value: ManifestValue = .object(
            ("name", .string("cart")),
            ("ports", .list([.object(("name", .string("http")), ("port", .int(80)))])),
            ("args", .list([.string("--flag"), .string("on")])),
            ("empty", .object()),
            ("none", .list([]))
        )
        #expect(YAMLEmitter.document(value) == """
            name: cart
            ports:
            - name: http
              port: 80
            args:
            - "--flag"
            - "on"
            empty: {}
            none: []

            """)
    }
}
