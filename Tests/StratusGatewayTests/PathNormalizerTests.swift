@testable import StratusGateway
import Testing

@Suite struct PathNormalizerTests {
    @Test(arguments: [
        ("/", "/"),
        ("/a/b", "/a/b"),
        ("/a/b/", "/a/b/"),
        ("/a/./b", "/a/b"),
        ("/a/../b", "/b"),
        ("/a/b/..", "/a/"),
        ("/../a", "/a"),
        ("/a/../../b", "/b"),
        ("//a///b", "/a/b"),
        ("/a;x=1/b;y", "/a/b"),
        ("/a/..;/b", "/b"),
        ("/%61%62c", "/abc"),
        ("/a%7Eb", "/a~b"),
        ("/a%3ab", "/a%3Ab"),
        ("/caf%c3%a9", "/caf%C3%A9"),
    ])
    func normalizes(input: String, expected: String) throws {
        #expect(try PathNormalizer().normalize(Substring(input)) == expected)
    }

    @Test(arguments: [
        ("a/b", PathNormalizer.Failure.notOriginForm),
        ("/a\\b", .backslash),
        ("/a%5Cb", .backslash),
        ("/a%", .malformedEscape),
        ("/a%zz", .malformedEscape),
        ("/a%2", .malformedEscape),
        ("/a%2Fb", .encodedSlash),
        ("/a/%2e%2e/b", .encodedDotSegment),
        ("/a/.%2E", .encodedDotSegment),
        ("/a/%2E", .encodedDotSegment),
        ("/a%3Bb", .encodedSemicolon),
    ])
    func rejects(input: String, failure: PathNormalizer.Failure) {
        #expect(throws: failure) { try PathNormalizer().normalize(Substring(input)) }
    }

    @Test func keepsEncodedSlashesOpaque() throws {
        #expect(try PathNormalizer(keepEncodedSlashes: true).normalize("/a%2fb/../c") == "/c")
        #expect(try PathNormalizer(keepEncodedSlashes: true).normalize("/a%2fb/c") == "/a%2Fb/c")
    }

    @Test func dotsInsideSegmentsStay() throws {
        #expect(try PathNormalizer().normalize("/a/.well-known/b..c") == "/a/.well-known/b..c")
        #expect(try PathNormalizer().normalize("/a/...") == "/a/...")
    }
}
