import IAMModel
import Testing

@Suite struct PatternTests {
    static let templates: [(String, String, Bool)] = [
        ("users:<peter|ken>", "users:ken", true),
        ("users:<peter|ken>", "users:kenny", false),
        ("<create|update>", "update", true),
        ("urn:<[a-z]+>:<[0-9]{2}>", "urn:eu:07", true),
        ("urn:<[a-z]+>:<[0-9]{2}>", "urn:eu:7", false),
        ("files:<(?!private/).*>", "files:public/a", true),
        ("files:<(?!private/).*>", "files:private/a", false),
        ("shop.orders", "shopXorders", false),
        ("shop.orders", "shop.orders", true),
        ("shop.<.*>", "shopXorders", false),
        ("resources:articles:<.*>", "resources:articles:", true),
        ("users:<ken>", "users:ken\n", true),
        ("a<b<c>d>", "ab<c>d", true),
        ("a<b<c>d>", "abcd", false),
        ("id:<(?P<n>[0-9]+)>", "id:42", true),
        ("d:<[[:digit:]]+>", "d:123", true),
        ("d:<\\d+>", "d:٣", true),
        ("users:<peter|ken>", "Users:ken", false),
        ("a>b", "a>b", true),
        ("<.*>", "", true),
    ]

    @Test(arguments: templates.indices)
    func templateMatches(row: Int) throws {
        let (template, input, expected) = Self.templates[row]
        #expect(try PatternMatcher().matchesAny([template], input) == expected, "\(template) against \(input)")
    }

    @Test(arguments: ["a<b", "a>b<c", "a<b>>", "<(>"])
    func brokenTemplatesThrow(template: String) {
        #expect(throws: PatternError.self) { try PatternMatcher().matchesAny([template], "anything") }
    }

    @Test func firstMatchStopsBeforeBrokenEntry() throws {
        #expect(try PatternMatcher().matchesAny(["x", "a<b"], "x"))
        #expect(throws: PatternError.self) { try PatternMatcher().matchesAny(["y", "a<b"], "x") }
    }

    @Test func nilAndEmptyListsMatchNothing() throws {
        #expect(try !PatternMatcher().matchesAny(nil, ""))
        #expect(try !PatternMatcher().matchesAny([], ""))
    }

    @Test func expressionIsAnchoredAndEscaped() throws {
        #expect(try PatternMatcher.regularExpression(forTemplate: "users:<peter|ken>") == "^users:(peter|ken)$")
        #expect(try PatternMatcher.regularExpression(forTemplate: "a.b<x>") == "^a\\.b(x)$")
    }
}

@Suite struct PatternTimeoutTests {
    @Test func backtrackingMatchTimesOut() {
        let template = "users:<(a+)+>"
        let input = "users:" + String(repeating: "a", count: 40) + "b"
        #expect { try PatternMatcher().matchesAny([template], input) } throws: { error in
            (error as? PatternError)?.reason.contains("timed out") == true
        }
    }

    @Test func timedOutMatchDeniesDecision() {
        let policy = LadonPolicy(id: "slow", subjects: ["users:<(a+)+>"], effect: "allow", resources: ["r"], actions: ["x"])
        let subject = "users:" + String(repeating: "a", count: 40) + "b"
        let decision = Warden().decide(AuthzRequest(subject: subject, action: "x", resource: "r"), policies: [policy])
        #expect(!decision.isAllowed)
        #expect(decision.response.reason.contains("timed out"))
        #expect(!decision.isAudited)
    }
}
