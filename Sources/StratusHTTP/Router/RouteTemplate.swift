/// A parsed route template such as `/v1/users/:name/files/**`.
///
/// Segments are separated by `/` and each is one of:
/// - a literal, matched exactly and case-sensitively (`users`).
/// - a parameter, `:name` or `{name}`, matching one non-empty segment and
///   captured under `name`.
/// - `*`, matching one non-empty segment without capturing it.
/// - `**`, only as the last segment, matching the rest of the path (one or
///   more segments, which may be empty) and captured under `**`.
///
/// A template starts with `/`. `/` alone has no segments. A trailing `/` adds
/// an empty literal segment, so `/users/` and `/users` are different routes.
/// Other empty segments (`//`) are rejected, because they are almost always a
/// typo when joining a group prefix and a path.
package struct RouteTemplate: Sendable, Hashable, CustomStringConvertible {
    package enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
        case wildcard
        case catchAll
    }

    /// The template as written.
    package let description: String
    package let segments: [Segment]

    /// Parses and validates `text`. The error names the template and the
    /// rule it breaks.
    package init(parsing text: String) throws(RouteTemplateError) {
        description = text
        segments = try Self.parseSegments(text)
    }

    /// The capture names in the order the matcher captures values: one per
    /// parameter, then `**` for a catch-all.
    package var captureNames: [String] {
        segments.compactMap { segment in
            switch segment {
            case .parameter(let name): name
            case .catchAll: "**"
            case .literal, .wildcard: nil
            }
        }
    }

    /// The segments with parameter names erased: two templates with the same
    /// shape match exactly the same paths.
    package var shape: [Segment] {
        segments.map { segment in
            if case .parameter = segment { return .parameter("") }
            return segment
        }
    }
}

/// A route template that breaks a syntax rule.
package struct RouteTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    package let template: String
    package let reason: String

    package init(template: String, reason: String) {
        self.template = template
        self.reason = reason
    }

    package var description: String {
        "invalid route template \"\(template)\": \(reason)"
    }
}
