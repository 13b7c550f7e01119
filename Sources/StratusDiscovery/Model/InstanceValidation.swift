/// A field of a request that failed validation: which field, the value
/// received and what is allowed. The control plane returns it as a 400.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var value: String
    public var expected: String

    public init(field: String, value: String, expected: String) {
        self.field = field
        self.value = value
        self.expected = expected
    }

    public var description: String { "invalid \(field) \"\(value)\": expected \(expected)" }
}

extension ServiceInstance {
    /// Checks every field, throwing the first `ValidationError` found.
    public func validate() throws(ValidationError) {
        try Self.validateServiceName(service)
        try Self.validateInstanceID(id)
        try Self.check(!address.isEmpty && address.count <= 253 && address.allSatisfy(Self.isAddressCharacter),
                       "address", address, "a numeric IP address or a host name of at most 253 characters")
        try Self.check((1...65_535).contains(port), "port", "\(port)", "a port from 1 to 65535")
        try Self.check(scheme == "http" || scheme == "https", "scheme", scheme, "\"http\" or \"https\"")
        try Self.check((1...10_000).contains(weight), "weight", "\(weight)", "a weight from 1 to 10000")
        try Self.check(version.count <= 64, "version", version, "at most 64 characters")
        try Self.check(zone.count <= 63, "zone", zone, "at most 63 characters")
        try Self.check(labels.count <= 64, "labels", "\(labels.count) labels", "at most 64 labels")
        for (key, value) in labels {
            try Self.check(Self.isLabelKey(key), "labels key", key, "1 to 63 letters, digits, \".\", \"_\", \"-\" or \"/\", starting with a letter or digit")
            try Self.check(value.count <= 256, "labels[\(key)]", value, "at most 256 characters")
        }
        try healthCheck?.validate(instancePort: port)
    }

    /// Checks a service name: a DNS label, as Kubernetes requires of names.
    public static func validateServiceName(_ name: String) throws(ValidationError) {
        let valid = (1...63).contains(name.count)
            && name.first!.isASCII && name.first!.isLowercase
            && name.last != "-"
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d }
        try check(valid, "service", name, "1 to 63 lowercase letters, digits or \"-\", starting with a letter and not ending with \"-\"")
    }

    /// Checks an instance id.
    public static func validateInstanceID(_ id: String) throws(ValidationError) {
        let valid = (1...128).contains(id.count)
            && id.utf8.allSatisfy { isLetterOrDigit($0) || $0 == 0x2e || $0 == 0x5f || $0 == 0x2d }
        try check(valid, "id", id, "1 to 128 letters, digits, \".\", \"_\" or \"-\"")
    }

    static func check(_ condition: Bool, _ field: String, _ value: String, _ expected: String) throws(ValidationError) {
        guard condition else {
            throw ValidationError(field: field, value: value, expected: expected)
        }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39)
    }

    private static func isAddressCharacter(_ character: Character) -> Bool {
        guard let byte = character.asciiValue else { return false }
        return isLetterOrDigit(byte) || byte == 0x2e || byte == 0x2d || byte == 0x3a
    }

    private static func isLabelKey(_ key: String) -> Bool {
        guard (1...63).contains(key.count), let first = key.utf8.first, isLetterOrDigit(first) else { return false }
        return key.utf8.allSatisfy { isLetterOrDigit($0) || $0 == 0x2e || $0 == 0x5f || $0 == 0x2d || $0 == 0x2f }
    }
}

extension HealthCheck {
    func validate(instancePort: Int) throws(ValidationError) {
        try ServiceInstance.check(path.hasPrefix("/") && path.count <= 1024 && !path.contains(where: \.isWhitespace),
                                  "healthCheck.path", path, "an absolute path starting with \"/\", without spaces")
        if let port {
            try ServiceInstance.check((1...65_535).contains(port), "healthCheck.port", "\(port)", "a port from 1 to 65535")
        }
        try ServiceInstance.check((1...3600).contains(periodSeconds), "healthCheck.periodSeconds", "\(periodSeconds)", "1 to 3600 seconds")
        try ServiceInstance.check((1...60).contains(timeoutSeconds) && timeoutSeconds <= periodSeconds,
                                  "healthCheck.timeoutSeconds", "\(timeoutSeconds)", "1 to 60 seconds and at most periodSeconds")
        try ServiceInstance.check((1...100).contains(successThreshold), "healthCheck.successThreshold", "\(successThreshold)", "1 to 100")
        try ServiceInstance.check((1...100).contains(failureThreshold), "healthCheck.failureThreshold", "\(failureThreshold)", "1 to 100")
    }
}
