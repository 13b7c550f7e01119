/// One line of the config watch stream.
///
/// A stream starts with one event per namespace watched: the release the
/// instance sees, or `none` when nothing is published. After that it sends
/// an event whenever the release the instance sees changes.
public struct ConfigWatchEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// `release` is what the instance sees now.
        case release = "RELEASE"
        /// The namespace does not exist or has no release yet.
        case none = "NONE"
    }

    public var type: Kind
    public var namespace: String
    /// For `RELEASE`: the release, with secret values decrypted.
    public var release: Release?

    public init(type: Kind, namespace: String, release: Release? = nil) {
        self.type = type
        self.namespace = namespace
        self.release = release
    }
}
