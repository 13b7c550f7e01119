public import StratusConfig

extension ConfigCenter {
    /// The most audit entries one listing returns.
    public static let maximumAuditEntries = 1000

    /// Returns the newest audit entries, newest first: of one namespace, of
    /// an environment, of an application, or of everything when
    /// `application` is nil.
    ///
    /// - Parameter limit: 1 to `maximumAuditEntries`.
    public func audit(application: String?, environment: String?, namespace: String?, limit: Int) async throws(ConfigCenterError) -> AuditLog {
        guard (1...Self.maximumAuditEntries).contains(limit) else {
            throw ConfigCenterError(.invalidArgument, "invalid audit limit \(limit); expected 1 to \(Self.maximumAuditEntries)")
        }
        var prefix = ConfigKeys.auditRoot
        let parts: [(String, String?)] = [("application", application), ("environment", environment), ("namespace", namespace)]
        var previousGiven = true
        for (part, value) in parts {
            guard let value else {
                previousGiven = false
                continue
            }
            guard previousGiven else {
                throw ConfigCenterError(.invalidArgument, "the audit filter gives the \(part) \(value) without the parts before it; give application, then environment, then namespace")
            }
            try NamespaceCoordinates.validate(name: value, part: part)
            prefix += value + "/"
        }
        // NOTE: the listing reads every entry under the prefix and keeps the
        // newest; the log is never trimmed, so a long-lived store makes it slower.
        let entries = try await list(prefix, as: AuditEntry.self)
        return AuditLog(entries: Array(entries.suffix(limit).reversed()))
    }
}
