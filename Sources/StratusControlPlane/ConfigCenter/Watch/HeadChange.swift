import StratusConfig

/// A namespace's head after a change, as the hub passes it to streams.
struct HeadChange: Sendable {
    var namespace: NamespaceCoordinates
    /// Nil when the head key was deleted.
    var head: ReleaseHead?
    /// The store revision of the change.
    var revision: Int64
}
