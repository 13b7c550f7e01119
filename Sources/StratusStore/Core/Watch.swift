/// A request to watch a range of keys from a revision.
public struct WatchRequest: Sendable, Hashable {
    public var keys: KeyRange
    /// The first revision to deliver. Nil starts after the current revision,
    /// so only later changes arrive. A revision below the compacted one ends
    /// the watch at once with `StoreError.Code.compacted`.
    public var startRevision: Int64?
    /// Attaches each key's value before the change to its event.
    public var previousKeyValues: Bool

    public init(_ keys: KeyRange, startRevision: Int64? = nil, previousKeyValues: Bool = false) {
        self.keys = keys
        self.startRevision = startRevision
        self.previousKeyValues = previousKeyValues
    }
}

/// One change to one key.
public struct WatchEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case put, delete
    }

    public var kind: Kind
    /// The key after a put. After a delete it carries the key and, as
    /// `modRevision`, the revision of the delete; the value is empty.
    public var keyValue: KeyValue
    /// The key before the change, when the watch asked for it and the key existed.
    public var previous: KeyValue?

    public init(kind: Kind, keyValue: KeyValue, previous: KeyValue? = nil) {
        self.kind = kind
        self.keyValue = keyValue
        self.previous = previous
    }

    /// The revision of the change.
    public var revision: Int64 { keyValue.modRevision }
}

/// The events of one watch, in revision order, each revision whole: the
/// changes that one transaction made arrive one after another, in the order
/// of its operations, and a range delete's keys in ascending order.
///
/// The stream never skips or reorders a change. It ends by throwing a
/// `StoreError`. The code is `compacted` when the start revision was
/// compacted, or when the consumer fell so far behind that the store dropped
/// the watch: list the keys again, then watch from the list's revision + 1.
/// It is `unavailable` when the store cannot be reached, and `closed` when
/// the store was closed. It runs until the task iterating it is cancelled or the
/// iterator is released; then the store releases the watch.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent
    public typealias Failure = any Error

    private enum Storage: Sendable {
        case stream(AsyncThrowingStream<WatchEvent, any Error>)
        case source(@Sendable () -> any WatchEventSource)
    }

    private let storage: Storage

    /// Wraps a stream that an implementation feeds through its continuation.
    public init(_ events: AsyncThrowingStream<WatchEvent, any Error>) {
        storage = .stream(events)
    }

    /// Wraps a source that an implementation pulls from; `makeSource` runs
    /// once per iterator.
    package init(makeSource: @escaping @Sendable () -> any WatchEventSource) {
        storage = .source(makeSource)
    }

    public func makeAsyncIterator() -> Iterator {
        switch storage {
        case .stream(let events):
            Iterator(base: .stream(events.makeAsyncIterator()))
        case .source(let makeSource):
            Iterator(base: .source(WatchSourceHandle(makeSource())))
        }
    }

    public struct Iterator: AsyncIteratorProtocol {
        fileprivate enum Base {
            case stream(AsyncThrowingStream<WatchEvent, any Error>.AsyncIterator)
            case source(WatchSourceHandle)
        }

        fileprivate var base: Base

        public mutating func next() async throws -> WatchEvent? {
            switch base {
            case .stream(var iterator):
                defer { base = .stream(iterator) }
                return try await iterator.next()
            case .source(let handle):
                return try await handle.source.next()
            }
        }
    }
}

extension WatchStream.Iterator {
    /// Returns the next event and the events after it with the same revision
    /// that the store already holds, or nil at the end of the stream.
    ///
    /// A store whose source buffers whole revisions (`EmbeddedStore`) returns
    /// each revision whole. A stream made from an `AsyncThrowingStream` (such
    /// as `EtcdStore`'s) returns one event per call, so a revision may be split
    /// over several batches.
    package mutating func nextBatch() async throws -> [WatchEvent]? {
        guard let first = try await next() else { return nil }
        guard case .source(let handle) = base else { return [first] }
        var batch = [first]
        while let event = handle.source.takeBuffered(revision: first.revision) {
            batch.append(event)
        }
        return batch
    }
}

/// A watch that its consumer pulls events from, one at a time.
package protocol WatchEventSource: Sendable {
    /// Returns the next event, suspending until one arrives; nil after `cancel`.
    func next() async throws -> WatchEvent?
    /// Returns the next event without waiting when it is already buffered and
    /// has `revision`, else nil.
    func takeBuffered(revision: Int64) -> WatchEvent?
    /// Ends the watch and releases what the store holds for it.
    func cancel()
}

extension WatchEventSource {
    package func takeBuffered(revision: Int64) -> WatchEvent? { nil }
}

/// Cancels the source when the last copy of its iterator is released.
fileprivate final class WatchSourceHandle: Sendable {
    let source: any WatchEventSource

    init(_ source: any WatchEventSource) {
        self.source = source
    }

    deinit {
        source.cancel()
    }
}
