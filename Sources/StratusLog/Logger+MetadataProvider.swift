extension Logger {
    /// Produces metadata at the moment an event is written, usually from the
    /// task's context (a trace id, a tenant). Shaped like swift-log's
    /// `Logger.MetadataProvider`.
    ///
    /// A handler calls `get()` once for each event it writes, on the task that
    /// logs, so a provider may read task-local values. It runs for every event
    /// at or above the level, so keep it cheap and non-blocking.
    public struct MetadataProvider: Sendable {
        private let provide: @Sendable () -> Logger.Metadata

        /// Creates a provider that calls `provide` for each event.
        public init(_ provide: @escaping @Sendable () -> Logger.Metadata) {
            self.provide = provide
        }

        /// Returns the metadata for the current task.
        public func get() -> Logger.Metadata {
            provide()
        }

        /// Combines `providers` into one that calls each in order. When two
        /// providers return the same key, the later one wins. Returns nil for
        /// an empty array, so the result can be passed on as "no provider".
        public static func multiplex(_ providers: [MetadataProvider]) -> MetadataProvider? {
            guard !providers.isEmpty else { return nil }
            if providers.count == 1 { return providers[0] }
            return MetadataProvider {
                var merged: Logger.Metadata = [:]
                for provider in providers {
                    let provided = provider.get()
                    if !provided.isEmpty {
                        merged.merge(provided) { _, later in later }
                    }
                }
                return merged
            }
        }
    }
}
