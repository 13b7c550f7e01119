public import Foundation

/// One published, immutable version of a namespace, numbered 1, 2, 3…
/// per namespace.
public struct Release: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The draft, published to every instance.
        case publish
        /// An earlier release's content published again.
        case rollback
        /// The draft, published to the instances of a gray selector.
        case gray
    }

    public var application: String
    public var environment: String
    public var namespace: String
    public var number: Int
    public var kind: Kind
    public var author: String
    public var comment: String
    public var createdAt: Date
    public var content: ConfigContent
    /// For a rollback: the release whose content it repeats.
    public var rollbackOf: Int?
    /// For a gray release: the instances it was published to.
    public var gray: GraySelector?

    public init(
        namespace: NamespaceCoordinates,
        number: Int,
        kind: Kind,
        author: String,
        comment: String,
        createdAt: Date,
        content: ConfigContent,
        rollbackOf: Int? = nil,
        gray: GraySelector? = nil
    ) {
        application = namespace.application
        environment = namespace.environment
        self.namespace = namespace.namespace
        self.number = number
        self.kind = kind
        self.author = author
        self.comment = comment
        self.createdAt = createdAt
        self.content = content
        self.rollbackOf = rollbackOf
        self.gray = gray
    }

    public var coordinates: NamespaceCoordinates {
        NamespaceCoordinates(application: application, environment: environment, namespace: namespace)
    }

    /// `iam-apiserver/dev/application release 3`, as logs and decoding
    /// errors name the release.
    public var name: String { "\(coordinates) release \(number)" }
}
