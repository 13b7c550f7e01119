/// The back end of a `Logger`: it stores the level and metadata and writes
/// events somewhere. Shaped like swift-log's `LogHandler`.
///
/// `Logger` calls `log` only for events at or above `logLevel`, with the
/// message and call-site metadata already evaluated. A handler merges metadata
/// in this order, later entries replacing earlier ones under the same key:
/// its own `metadata` (which includes what was set through the logger's
/// `subscript(metadataKey:)`), then what its `metadataProvider` returns, then
/// the call-site metadata. This is swift-log's order since 1.5, the release
/// that added metadata providers. `mergedMetadata(callSite:)` applies it.
///
/// Handlers are usually value types, because a `Logger` copy must not change
/// the level or metadata of the logger it was copied from. `log` may be called
/// from many tasks at once, so a handler that writes to a shared sink must
/// serialize the writes itself.
///
/// New requirements come with default implementations, so existing handlers
/// keep compiling. `metadataProvider` is one: by default a handler has none
/// and ignores an assigned one.
public protocol LogHandler: Sendable {
    /// Writes one event.
    ///
    /// - Parameters:
    ///   - metadata: the call-site metadata, which wins over `self.metadata`.
    ///   - source: the module that logged the event.
    func log(
        level: Logger.Level,
        message: Logger.Message,
        metadata: Logger.Metadata?,
        source: String,
        file: String,
        function: String,
        line: UInt
    )

    /// One entry of `metadata`.
    subscript(metadataKey _: String) -> Logger.Metadata.Value? { get set }

    /// Metadata attached to every event this handler writes.
    var metadata: Logger.Metadata { get set }

    /// The minimum level this handler writes.
    var logLevel: Logger.Level { get set }

    /// Metadata computed for each event, typically from task-local values.
    var metadataProvider: Logger.MetadataProvider? { get set }
}

extension LogHandler {
    /// No provider. A handler that supports providers stores one instead.
    public var metadataProvider: Logger.MetadataProvider? {
        get { nil }
        set {}
    }

    /// Returns `metadata`, then the provider's metadata, then `callSite`,
    /// later entries replacing earlier ones under the same key.
    public func mergedMetadata(callSite: Logger.Metadata?) -> Logger.Metadata {
        guard let provided = metadataProvider?.get(), !provided.isEmpty else {
            return metadata.merging(callSite: callSite)
        }
        return metadata.merging(callSite: provided).merging(callSite: callSite)
    }
}

extension Logger.Metadata {
    /// Returns this metadata with `callSite` entries added, replacing entries
    /// under the same key. Handlers use it to apply the merge order that
    /// `LogHandler` documents.
    ///
    /// An empty side is skipped without building a dictionary. Otherwise the
    /// larger side is copied and the smaller one inserted into the copy, so
    /// that fewer keys are hashed and the copy grows at most once.
    public func merging(callSite: Logger.Metadata?) -> Logger.Metadata {
        guard let callSite, !callSite.isEmpty else { return self }
        guard !isEmpty else { return callSite }
        if callSite.count >= count {
            var merged = callSite
            merged.reserveCapacity(callSite.count + count)
            merged.merge(self) { callSiteValue, _ in callSiteValue }
            return merged
        }
        var merged = self
        merged.reserveCapacity(callSite.count + count)
        merged.merge(callSite) { _, callSiteValue in callSiteValue }
        return merged
    }
}
