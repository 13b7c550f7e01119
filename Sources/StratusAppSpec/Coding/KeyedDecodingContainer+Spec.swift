extension KeyedDecodingContainer {
    /// Decodes the value at `key`, or returns `fallback` when it is absent
    /// or null. During an app spec load an invalid value is recorded and
    /// `fallback` returned, so the other keys are still checked.
    func specValue<T: Decodable>(_ type: T.Type, forKey key: Key, default fallback: T) throws -> T {
        try ProblemCollector.recovering(fallback) {
            try decodeIfPresent(type, forKey: key) ?? fallback
        }
    }

    /// Decodes the value at `key`, nil when it is absent or null or, during
    /// an app spec load, invalid.
    func optionalSpecValue<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try ProblemCollector.recovering(nil) {
            try decodeIfPresent(type, forKey: key)
        }
    }

    /// Decodes the value at `key`, which must be present. During an app spec
    /// load a missing or invalid value is recorded and `placeholder`
    /// returned.
    func requiredSpecValue<T: Decodable>(_ type: T.Type, forKey key: Key, placeholder: T) throws -> T {
        try ProblemCollector.recovering(placeholder) {
            try decode(type, forKey: key)
        }
    }

    /// Decodes a duration: text such as `1.5s` in a YAML app spec, a number
    /// of seconds in the JSON wire format (`wire`, from
    /// `SpecCoding.isWireFormat(decoder.userInfo)`).
    func specDuration(forKey key: Key, default fallback: Duration, wire: Bool) throws -> Duration {
        try optionalSpecDuration(forKey: key, wire: wire) ?? fallback
    }

    func optionalSpecDuration(forKey key: Key, wire: Bool) throws -> Duration? {
        guard wire else {
            return try optionalSpecValue(Duration.self, forKey: key)
        }
        return try decodeIfPresent(Double.self, forKey: key).map { Duration.seconds($0) }
    }
}

extension KeyedEncodingContainer {
    /// Encodes a duration as a number of seconds, the JSON wire format's form.
    mutating func encodeDuration(_ duration: Duration?, forKey key: Key) throws {
        try encodeIfPresent(duration.map(SpecCoding.seconds), forKey: key)
    }
}
