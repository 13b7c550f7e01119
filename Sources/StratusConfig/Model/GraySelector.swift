/// The instances that see a gray release: those whose labels include every
/// label of `labels`, and those whose id is in `instances`.
///
/// An empty `labels` matches by id only. A selector must name at least one
/// label or instance.
public struct GraySelector: Sendable, Hashable, Codable, CustomStringConvertible {
    public var labels: [String: String]
    public var instances: [String]

    public init(labels: [String: String] = [:], instances: [String] = []) {
        self.labels = labels
        self.instances = instances
    }

    /// Whether an instance with this id and these labels sees the gray release.
    public func matches(instanceID: String, labels instanceLabels: [String: String]) -> Bool {
        if instances.contains(instanceID) { return true }
        guard !labels.isEmpty else { return false }
        return labels.allSatisfy { instanceLabels[$0.key] == $0.value }
    }

    public var isEmpty: Bool { labels.isEmpty && instances.isEmpty }

    enum CodingKeys: String, CodingKey {
        case labels, instances
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        labels = try container.decode([String: String].self, forKey: .labels, default: [:])
        instances = try container.decode([String].self, forKey: .instances, default: [])
    }

    /// `track=canary,zone=a; instances a-1,a-2`.
    public var description: String {
        var parts: [String] = []
        if !labels.isEmpty {
            parts.append(Self.format(labels: labels))
        }
        if !instances.isEmpty {
            parts.append("instances " + instances.joined(separator: ","))
        }
        return parts.joined(separator: "; ")
    }

    /// Formats labels as `key=value` pairs sorted by key, joined with ",".
    public static func format(labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Parses `track=canary,zone=a`; an empty text gives no labels.
    ///
    /// - Throws: `ConfigCenterError` with code `invalidArgument` naming the
    ///   pair that is not `key=value` or repeats a key.
    public static func parse(labels text: String) throws(ConfigCenterError) -> [String: String] {
        var labels: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].trimmingSpaces
            guard parts.count == 2, !key.isEmpty else {
                throw ConfigCenterError(.invalidArgument, "invalid label \"\(pair)\"; expected key=value pairs separated by \",\", such as track=canary")
            }
            guard labels.updateValue(parts[1].trimmingSpaces, forKey: key) == nil else {
                throw ConfigCenterError(.invalidArgument, "label \(key) is given twice in \"\(text)\"; give each label once")
            }
        }
        return labels
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
