import IAMModel
import Testing

@Suite struct ValidationTests {
    @Test(arguments: ["admin", "a", "Ana.B-c_9", String(repeating: "x", count: 45)])
    func validNames(name: String) {
        #expect(FieldRules.checkName(name) == nil)
    }

    @Test(arguments: ["", "-ana", "ana-", "a/b", "ana b", "ana@x", String(repeating: "x", count: 46), "名字"])
    func invalidNames(name: String) {
        #expect(FieldRules.checkName(name) != nil)
    }

    @Test(arguments: ["Admin@2021", "User@2021", "Aa1!Aa1!Aa1!Aa1!", "Ab1 cdef@", "Ab1!名字abcd"])
    func validPasswords(password: String) {
        #expect(PasswordRule.check(password) == nil)
    }

    @Test(arguments: ["admin2021", "Admin2021", "Ab@1", "ADMIN@2021", "admin@2021", "Aa1!Aa1!Aa1!Aa1!x", "Ab1@\t\t\t\t"])
    func invalidPasswords(password: String) {
        #expect(PasswordRule.check(password) != nil)
    }

    @Test(arguments: ["ana@example.org", "admin@foxmail.com", "a.b+c@sub.example.co"])
    func validEmails(email: String) {
        #expect(FieldRules.checkEmail(email) == nil)
    }

    @Test(arguments: ["", "ana", "ana@", "@example.org", "ana@example", "a@b@c.org", "an a@example.org", "ana@exa..mple.org"])
    func invalidEmails(email: String) {
        #expect(FieldRules.checkEmail(email) != nil)
    }

    @Test func lengthsCountUnicodeScalars() {
        #expect(FieldRules.checkNickname(String(repeating: "名", count: 30)) == nil)
        #expect(FieldRules.checkNickname(String(repeating: "名", count: 31)) != nil)
        #expect(FieldRules.checkNickname("") != nil)
        #expect(FieldRules.checkPhone(String(repeating: "1", count: 20)) == nil)
        #expect(FieldRules.checkPhone(String(repeating: "1", count: 21)) != nil)
        #expect(FieldRules.checkDescription(String(repeating: "é", count: 128)) != nil)
        #expect(FieldRules.checkExpires(-1) != nil)
        #expect(FieldRules.checkExpires(0) == nil)
    }
}
