import IAMModel
import Testing

@Suite struct ConditionTests {
    /// Decides one request against a single allow policy with one condition
    /// on `key`, so the answer is whether the condition holds.
    static func holds(_ condition: Condition, _ value: JSONValue?, resource: String = "r", subject: String = "s") -> Bool {
        let policy = LadonPolicy(id: "p", subjects: ["<.*>"], effect: "allow", resources: ["<.*>"], actions: ["x"], conditions: ["key": condition])
        var context: [String: JSONValue] = [:]
        context["key"] = value
        return Warden().decide(AuthzRequest(subject: subject, action: "x", resource: resource, context: context), policies: [policy]).isAllowed
    }

    static let cases: [(String, Condition, JSONValue?, String, Bool)] = [
        ("match anchored", .stringMatch(matches: "^ops-"), .string("ops-berlin"), "r", true),
        ("match anywhere", .stringMatch(matches: "berlin"), .string("ops-berlin-2"), "r", true),
        ("match misses", .stringMatch(matches: "^berlin"), .string("ops-berlin"), "r", false),
        ("match empty pattern", .stringMatch(matches: ""), .string("anything"), "r", true),
        ("match invalid pattern", .stringMatch(matches: "("), .string("("), "r", false),
        ("match non-string", .stringMatch(matches: ""), .integer(1), "r", false),
        ("equal case-sensitive", .stringEqual(equals: "eu"), .string("EU"), "r", false),
        ("equal", .stringEqual(equals: "eu"), .string("eu"), "r", true),
        ("equal missing", .stringEqual(equals: ""), nil, "r", false),
        ("pairs equal", .stringPairsEqual, .array([.array([.string("a"), .string("a")]), .array([.string("x"), .string("x")])]), "r", true),
        ("pairs differ", .stringPairsEqual, .array([.array([.string("a"), .string("b")])]), "r", false),
        ("pairs empty", .stringPairsEqual, .array([]), "r", true),
        ("pairs of three", .stringPairsEqual, .array([.array([.string("a"), .string("a"), .string("a")])]), "r", false),
        ("pairs not strings", .stringPairsEqual, .array([.array([.integer(1), .integer(1)])]), "r", false),
        ("pairs not array", .stringPairsEqual, .string("a"), "r", false),
        ("contains with delimiter", .resourceContains, .object(["value": .string("orders"), "delimiter": .string(":")]), "shop:orders:991", true),
        ("contains partial word", .resourceContains, .object(["value": .string("orders"), "delimiter": .string(":")]), "shop:orders2:991", false),
        ("contains substring", .resourceContains, .object(["value": .string("orders")]), "shop:orders2:991", true),
        ("contains empty value", .resourceContains, .object(["value": .string("")]), "shop", false),
        ("contains not object", .resourceContains, .string("shop"), "shop", false),
        ("cidr v6", .cidr(cidr: "2001:db8::/32"), .string("2001:db8::1"), "r", true),
        ("cidr with port", .cidr(cidr: "10.0.0.0/8"), .string("10.1.2.3:443"), "r", false),
        ("cidr host bits", .cidr(cidr: "192.168.0.1/16"), .string("192.168.44.5"), "r", true),
        ("cidr mapped v4", .cidr(cidr: "192.168.0.0/16"), .string("::ffff:192.168.0.5"), "r", true),
        ("cidr outside", .cidr(cidr: "10.20.0.0/16"), .string("10.21.0.1"), "r", false),
        ("cidr invalid", .cidr(cidr: "10.0.0.0"), .string("10.0.0.1"), "r", false),
        ("cidr v4 in v6", .cidr(cidr: "2001:db8::/32"), .string("10.0.0.1"), "r", false),
        ("cidr non-string", .cidr(cidr: "10.0.0.0/8"), .integer(10), "r", false),
        ("boolean true", .boolean(value: true), .bool(true), "r", true),
        ("boolean string", .boolean(value: true), .string("true"), "r", false),
        ("boolean false", .boolean(value: false), .bool(false), "r", true),
        ("boolean missing", .boolean(value: false), nil, "r", false),
    ]

    @Test(arguments: cases.indices)
    func conditionHolds(row: Int) {
        let (name, condition, value, resource, expected) = Self.cases[row]
        #expect(Self.holds(condition, value, resource: resource) == expected, "\(name)")
    }

    @Test func equalsSubject() {
        #expect(Self.holds(.equalsSubject, .string("users:bo"), subject: "users:bo"))
        #expect(!Self.holds(.equalsSubject, .string("users:cy"), subject: "users:bo"))
        #expect(!Self.holds(.equalsSubject, nil, subject: ""))
    }

    @Test func conditionsEncodeEveryOption() throws {
        let encoded = JSONCoding.encodeToString(["b": Condition.boolean(value: false)])
        #expect(encoded == #"{"b":{"options":{"value":false},"type":"BooleanCondition"}}"#)
        #expect(JSONCoding.encodeToString(Condition.equalsSubject) == #"{"options":{},"type":"EqualsSubjectCondition"}"#)
    }

    @Test func conditionDecodingFollowsLadon() throws {
        let missingOptions = try JSONCoding.decode(Condition.self, from: Array(#"{"type":"CIDRCondition"}"#.utf8))
        #expect(missingOptions == .cidr(cidr: ""))
        let nullOptions = try JSONCoding.decode(Condition.self, from: Array(#"{"type":"StringEqualCondition","options":null}"#.utf8))
        #expect(nullOptions == .stringEqual(equals: ""))
        #expect(throws: DecodingError.self) { try JSONCoding.decode(Condition.self, from: Array(#"{"type":"TimeCondition","options":{}}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONCoding.decode(Condition.self, from: Array(#"{"type":"BooleanCondition","options":{"value":"true"}}"#.utf8)) }
    }

    @Test func policyDecodingAndEncoding() throws {
        let policy = try JSONCoding.decode(LadonPolicy.self, from: Array(#"{"effect":"allow","meta":"aGk="}"#.utf8))
        #expect(policy.subjects == nil)
        #expect(policy.meta == Array("hi".utf8))
        #expect(JSONCoding.encodeToString(policy) == #"{"actions":null,"conditions":{},"description":"","effect":"allow","id":"","meta":"aGk=","resources":null,"subjects":null}"#)
        #expect(throws: DecodingError.self) { try JSONCoding.decode(LadonPolicy.self, from: Array(#"{"meta":"not base64!"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONCoding.decode(LadonPolicy.self, from: Array(#"{"meta":5}"#.utf8)) }
    }
}
