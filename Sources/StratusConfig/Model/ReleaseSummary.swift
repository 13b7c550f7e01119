public import Foundation

/// One release in a namespace's history, without its content, with the
/// instances that last reported about it.
public struct ReleaseSummary: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        /// The release every instance outside a gray selector sees.
        case main
        /// The gray release in progress.
        case gray
        /// A gray release that was abandoned.
        case abandoned
        /// A main release that a rollback replaced.
        case rolledBack = "rolled-back"
        /// A release that was in force before.
        case previous
    }

    public var number: Int
    public var kind: Release.Kind
    public var state: State
    public var author: String
    public var comment: String
    public var createdAt: Date
    public var rollbackOf: Int?
    public var gray: GraySelector?
    /// The instances whose latest report names this release, sorted by id.
    public var instances: [InstanceReport]

    public init(release: Release, state: State, instances: [InstanceReport]) {
        number = release.number
        kind = release.kind
        self.state = state
        author = release.author
        comment = release.comment
        createdAt = release.createdAt
        rollbackOf = release.rollbackOf
        gray = release.gray
        self.instances = instances
    }
}

/// A namespace's history, newest release first.
public struct ReleaseHistory: Sendable, Hashable, Codable {
    public var application: String
    public var environment: String
    public var namespace: String
    public var head: ReleaseHead
    public var releases: [ReleaseSummary]

    public init(namespace: NamespaceCoordinates, head: ReleaseHead, releases: [ReleaseSummary]) {
        application = namespace.application
        environment = namespace.environment
        self.namespace = namespace.namespace
        self.head = head
        self.releases = releases
    }
}
