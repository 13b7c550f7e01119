public import Foundation

/// A report of what one instance did with a release it received: it
/// applied it, or refused it and kept the previous one. Instances send it to the control
/// plane, and history lists it under the release.
public struct InstanceReport: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case applied
        case refused
    }

    public var instance: String
    public var release: Int
    public var status: Status
    /// For a refusal: why, such as the decoding error.
    public var reason: String?
    public var labels: [String: String]
    /// When the control plane received the report; set by the control plane.
    public var reportedAt: Date?

    enum CodingKeys: String, CodingKey {
        case instance, release, status, reason, labels, reportedAt
    }

    /// Decodes a report; `instance` may be left out where the path names it,
    /// and `labels` defaults to none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instance = try container.decode(String.self, forKey: .instance, default: "")
        release = try container.decode(Int.self, forKey: .release)
        status = try container.decode(Status.self, forKey: .status)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        labels = try container.decode([String: String].self, forKey: .labels, default: [:])
        reportedAt = try container.decodeIfPresent(Date.self, forKey: .reportedAt)
    }

    public init(instance: String, release: Int, status: Status, reason: String? = nil, labels: [String: String] = [:], reportedAt: Date? = nil) {
        self.instance = instance
        self.release = release
        self.status = status
        self.reason = reason
        self.labels = labels
        self.reportedAt = reportedAt
    }
}
