/// The field rules of the API. Each returns a description of the failure,
/// or nil when the value passes. Callers turn a failure into code 100004
/// (or 100003 for `newPassword`) and log the description.
public enum FieldRules {
    /// Names are stored in 45-character columns, so longer names, which
    /// upstream's rule allows up to 63 characters, are rejected here
    /// instead of failing in the database.
    public static let maxNameLength = 45
    public static let maxNicknameLength = 30
    public static let maxEmailLength = 100
    public static let maxPhoneLength = 20
    public static let maxDescriptionBytes = 255

    /// Checks the name rule of users, secrets, policies and the login `username`:
    /// 1 to 45 characters of `[A-Za-z0-9._-]`, starting and ending with a
    /// letter or digit. A `/` is never allowed, because such a name could
    /// not be addressed in a path.
    public static func checkName(_ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        guard !scalars.isEmpty else { return "the name is empty" }
        guard scalars.count <= maxNameLength else {
            return "the name has \(scalars.count) characters; at most \(maxNameLength) are allowed"
        }
        guard isAlphanumeric(scalars.first!), isAlphanumeric(scalars.last!) else {
            return "the name \"\(name)\" must start and end with a letter or digit"
        }
        for scalar in scalars where !isAlphanumeric(scalar) && !"-_.".unicodeScalars.contains(scalar) {
            return "the name \"\(name)\" contains \"\(scalar)\"; only letters, digits, \"-\", \"_\" and \".\" are allowed"
        }
        return nil
    }

    public static func checkNickname(_ nickname: String) -> String? {
        checkLength(of: nickname, field: "nickname", range: 1...maxNicknameLength)
    }

    public static func checkPhone(_ phone: String) -> String? {
        checkLength(of: phone, field: "phone", range: 0...maxPhoneLength)
    }

    /// Checks for an address with one `@`, a non-empty local part without spaces and a
    /// domain of at least two non-empty dot-separated labels.
    public static func checkEmail(_ email: String) -> String? {
        if let failure = checkLength(of: email, field: "email", range: 1...maxEmailLength) {
            return failure
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else {
            return "the email \"\(email)\" must have one \"@\" after a non-empty local part"
        }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        let validLabels = labels.allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0.value > 0x7F }
        }
        guard labels.count >= 2, validLabels else {
            return "the email \"\(email)\" needs a domain such as example.org"
        }
        let invalidLocal = parts[0].unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || "()<>,;:\\\"[]".unicodeScalars.contains($0) }
        return invalidLocal ? "the local part of the email \"\(email)\" contains a space or a special character" : nil
    }

    public static func checkDescription(_ description: String) -> String? {
        let bytes = description.utf8.count
        return bytes <= maxDescriptionBytes ? nil : "the description has \(bytes) bytes of UTF-8; at most \(maxDescriptionBytes) are allowed"
    }

    public static func checkExpires(_ expires: Int64) -> String? {
        expires >= 0 ? nil : "expires is \(expires); expected 0 (never) or Unix seconds"
    }

    private static func checkLength(of value: String, field: String, range: ClosedRange<Int>) -> String? {
        let count = value.unicodeScalars.count
        return range.contains(count) ? nil : "\(field) has \(count) characters; expected \(range.lowerBound) to \(range.upperBound)"
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: false
        }
    }
}
