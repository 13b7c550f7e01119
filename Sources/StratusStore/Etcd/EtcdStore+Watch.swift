extension EtcdStore {
    /// Starts a watch. The connection opens when the consumer first requests
    /// an event.
    ///
    /// A watch without a start revision starts after the newest revision this
    /// store has seen in a response, so a watch started after the store's own
    /// write delivers every later write. When the store has seen no revision yet,
    /// or that revision was compacted, it starts after etcd's current
    /// revision when the connection opens.
    ///
    /// When the connection breaks, the watch reopens it on the next member
    /// and resumes after the last delivered revision, with no event lost or
    /// repeated; it ends with `unavailable` when no member accepts it for
    /// `Configuration.watchReconnectTimeout`. Cancelling the consuming task,
    /// or releasing the stream, ends the watch and closes its connection.
    public func watch(_ request: WatchRequest) -> WatchStream {
        do {
            try RequestValidation.checkWatch(request)
        } catch {
            return WatchStream(AsyncThrowingStream { $0.finish(throwing: error) })
        }
        let observed = latestObservedRevision
        let session = EtcdWatchSession(
            request,
            startRevision: request.startRevision ?? (observed > 0 ? observed + 1 : nil),
            startIsImplicit: request.startRevision == nil,
            gateway: gateway,
            registry: watches,
            configuration: configuration
        )
        let control = session.control
        guard watches.register(control) else {
            let error = StoreError(.closed, "the etcd store was closed; create a new one to watch")
            return WatchStream(AsyncThrowingStream { $0.finish(throwing: error) })
        }
        return WatchStream(AsyncThrowingStream(unfolding: {
            try await withTaskCancellationHandler {
                try await session.next()
            } onCancel: {
                control.end(.cancelled)
            }
        }))
    }
}
