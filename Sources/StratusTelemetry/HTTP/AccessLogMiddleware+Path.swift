extension AccessLogMiddleware {
    /// Returns `path` with the segments captured by sensitive route
    /// parameters replaced: for the route `/v1/reset/:token`, the path
    /// `/v1/reset/abc` becomes `/v1/reset/[REDACTED]`.
    ///
    /// A parameter matches exactly one segment and a template starts with
    /// `/`, so the template's segments and the path's align by index up to a
    /// trailing `**`, which is never redacted.
    func redactedPath(_ path: Substring, route: String?) -> String {
        guard let route, route.utf8.contains(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "{") }) else {
            return String(path)
        }
        let templateSegments = route.split(separator: "/", omittingEmptySubsequences: false)
        let sensitive = templateSegments.indices.filter { index in
            guard let name = parameterName(templateSegments[index]) else { return false }
            return redactor.isSensitive(name)
        }
        guard !sensitive.isEmpty else { return String(path) }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for index in sensitive where index < segments.count {
            segments[index] = Substring(Redactor.replacement)
        }
        return segments.joined(separator: "/")
    }

    /// Returns the name of a `:name` or `{name}` template segment.
    private func parameterName(_ segment: Substring) -> Substring? {
        if segment.hasPrefix(":") {
            return segment.dropFirst()
        }
        if segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2 {
            return segment.dropFirst().dropLast()
        }
        return nil
    }
}
