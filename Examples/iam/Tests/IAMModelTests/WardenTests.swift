import IAMModel
import Testing

/// The decision table of four policies owned by `ana`, newest first.
@Suite struct WardenTests {
    static let policiesJSON = """
        [
          {"id":"no-guests-on-ledger","subjects":["users:guest-<.+>"],"actions":["<.*>"],
           "resources":["finance:ledger:<.*>"],"effect":"deny","conditions":{}},
          {"id":"office-readers","subjects":["users:<ana|raj>","groups:auditors"],
           "actions":["<read|list>"],"resources":["finance:<ledger|invoices>:<[0-9]+>"],
           "effect":"allow",
           "conditions":{"clientIP":{"type":"CIDRCondition","options":{"cidr":"10.20.0.7/16"}}}},
          {"id":"self-service","subjects":["users:<[a-z]+>"],"actions":["edit"],
           "resources":["profiles:<.*>"],"effect":"allow",
           "conditions":{"owner":{"type":"EqualsSubjectCondition","options":{}},
                         "mfa":{"type":"BooleanCondition","options":{"value":true}}}},
          {"id":"guest-read","subjects":["users:guest-<.+>"],"actions":["read"],
           "resources":["finance:ledger:<[0-9]+>","docs:<.*>"],"effect":"allow","conditions":{}}
        ]
        """

    static let policies: [LadonPolicy] = try! JSONCoding.decode([LadonPolicy].self, from: Array(policiesJSON.utf8))

    enum Expected: Sendable {
        case allowed, forcefullyDenied, deniedByDefault
    }

    static let rows: [(String, String, String, [String: JSONValue], Expected)] = [
        ("users:raj", "read", "finance:invoices:2024", ["clientIP": .string("10.20.3.4")], .allowed),
        ("users:raj", "read", "finance:invoices:2024", ["clientIP": .string("192.0.2.1")], .deniedByDefault),
        ("users:raj", "read", "finance:invoices:2024", [:], .deniedByDefault),
        ("users:raj", "Read", "finance:invoices:2024", ["clientIP": .string("10.20.3.4")], .deniedByDefault),
        ("users:raj", "read", "finance:invoices:2024a", ["clientIP": .string("10.20.3.4")], .deniedByDefault),
        ("users:guest-lee", "read", "docs:intro", [:], .allowed),
        ("users:guest-lee", "read", "finance:ledger:7", [:], .forcefullyDenied),
        ("users:bo", "edit", "profiles:bo", ["owner": .string("users:bo"), "mfa": .bool(true)], .allowed),
        ("users:bo", "edit", "profiles:bo", ["owner": .string("users:bo"), "mfa": .string("true")], .deniedByDefault),
        ("users:bo", "edit", "profiles:cy", ["owner": .string("users:cy"), "mfa": .bool(true)], .deniedByDefault),
        ("users:guest-", "read", "docs:intro", [:], .deniedByDefault),
    ]

    @Test(arguments: rows.indices)
    func workedExample(row: Int) {
        let (subject, action, resource, context, expected) = Self.rows[row]
        var fullContext = context
        fullContext["username"] = .string("ana")
        let decision = Warden().decide(AuthzRequest(subject: subject, action: action, resource: resource, context: fullContext), policies: Self.policies)
        switch expected {
        case .allowed:
            #expect(decision.response == AuthzResponse(allowed: true))
        case .forcefullyDenied:
            #expect(decision.response == AuthzResponse(allowed: false, denied: true, reason: "Request was forcefully denied"))
        case .deniedByDefault:
            #expect(decision.response == AuthzResponse(allowed: false, denied: true, reason: "Request was denied by default"))
        }
        #expect(decision.isAudited)
    }

    @Test func denyFirstConclusion() {
        let decision = Warden().decide(AuthzRequest(subject: "users:guest-lee", action: "read", resource: "finance:ledger:7"), policies: Self.policies)
        #expect(decision.conclusion == "policy no-guests-on-ledger forcefully denied the access")
        #expect(decision.deciders.map(\.id) == ["no-guests-on-ledger"])
    }

    @Test func denyAfterAllowConclusion() {
        let reordered = [Self.policies[3], Self.policies[0]]
        let decision = Warden().decide(AuthzRequest(subject: "users:guest-lee", action: "read", resource: "finance:ledger:7"), policies: reordered)
        #expect(!decision.isAllowed)
        #expect(decision.conclusion == "policies guest-read allow access, but policy no-guests-on-ledger forcefully denied it")
        #expect(decision.deciders.map(\.id) == ["guest-read", "no-guests-on-ledger"])
    }

    @Test func denyOverridesAnyNumberOfAllows() {
        let allow = LadonPolicy(id: "a", subjects: ["s"], effect: "allow", resources: ["r"], actions: ["x"])
        let allowTwo = LadonPolicy(id: "b", subjects: ["<.*>"], effect: "allow", resources: ["r"], actions: ["x"])
        for effect in ["deny", "Allow", "", "permit"] {
            let deny = LadonPolicy(id: "d", subjects: ["s"], effect: effect, resources: ["r"], actions: ["x"])
            for order in [[allow, allowTwo, deny], [deny, allow, allowTwo], [allow, deny, allowTwo]] {
                let decision = Warden().decide(AuthzRequest(subject: "s", action: "x", resource: "r"), policies: order)
                #expect(!decision.isAllowed, "effect \(effect)")
                #expect(decision.response.reason == "Request was forcefully denied")
            }
        }
    }

    @Test func allowedConclusionListsEveryAllow() {
        let one = LadonPolicy(id: "one", subjects: ["s"], effect: "allow", resources: ["r"], actions: ["x"])
        let two = LadonPolicy(id: "two", subjects: ["<s>"], effect: "allow", resources: ["r"], actions: ["x"])
        let decision = Warden().decide(AuthzRequest(subject: "s", action: "x", resource: "r"), policies: [one, two])
        #expect(decision.conclusion == "policies one, two allow access")
        #expect(Warden().decide(AuthzRequest(subject: "s", action: "y", resource: "r"), policies: [one]).conclusion == "no policy allowed access")
    }

    @Test func noPoliciesIsNotAudited() {
        let decision = Warden().decide(AuthzRequest(subject: "s", action: "x", resource: "r"), policies: [])
        #expect(decision.response == AuthzResponse(allowed: false, denied: true, reason: "list policies failed"))
        #expect(!decision.isAudited)
    }

    @Test func brokenTemplateEndsDecision() {
        let broken = LadonPolicy(id: "broken", subjects: ["a<b"], effect: "allow", resources: ["r"], actions: ["x"])
        let good = LadonPolicy(id: "good", subjects: ["s"], effect: "allow", resources: ["r"], actions: ["x"])
        let decision = Warden().decide(AuthzRequest(subject: "s", action: "x", resource: "r"), policies: [broken, good])
        #expect(!decision.isAllowed)
        #expect(decision.response.denied)
        #expect(decision.response.reason.contains("a<b"))
        #expect(!decision.isAudited)
    }

    @Test func brokenTemplateNeverReachedDoesNoHarm() {
        let deny = LadonPolicy(id: "deny", subjects: ["s"], effect: "deny", resources: ["r"], actions: ["x"])
        let brokenLater = LadonPolicy(id: "broken", subjects: ["a<b"], effect: "allow", resources: ["r"], actions: ["x"])
        let first = Warden().decide(AuthzRequest(subject: "s", action: "x", resource: "r"), policies: [deny, brokenLater])
        #expect(first.response.reason == "Request was forcefully denied")
        let actionMisses = LadonPolicy(id: "miss", subjects: ["a<b"], effect: "allow", resources: ["r"], actions: ["other"])
        let allow = LadonPolicy(id: "allow", subjects: ["s", "a<b"], effect: "allow", resources: ["r"], actions: ["x"])
        let second = Warden().decide(AuthzRequest(subject: "s", action: "x", resource: "r"), policies: [actionMisses, allow])
        #expect(second.isAllowed)
    }

    @Test func auditRecordCarriesDecision() {
        var context: [String: JSONValue] = ["username": .string("ana")]
        context["clientIP"] = .string("10.20.3.4")
        let request = AuthzRequest(subject: "users:raj", action: "read", resource: "finance:invoices:1", context: context)
        let decision = Warden().decide(request, policies: Self.policies)
        let record = AuditRecord(id: "r1", decision: decision, request: request, policies: Self.policies, now: Timestamp(unixSeconds: 100), requestID: "q", instance: "i")
        #expect(record.username == "ana")
        #expect(record.effect == "allow")
        #expect(record.conclusion == "policies office-readers allow access")
        #expect(record.request == #"{"action":"read","context":{"clientIP":"10.20.3.4","username":"ana"},"resource":"finance:invoices:1","subject":"users:raj"}"#)
        #expect(record.deciders.contains(#""id":"office-readers""#))
        #expect(record.expireAt == Timestamp(unixSeconds: 100 + 36_500 * 86_400))
    }
}
