import Synchronization
/// A handler as the configuration runs it: given the snapshots before and
/// after a release, it decodes what it reads and returns the call to make,
/// nil when its values did not change, or throws to refuse the release.
struct ChangeHandler: Sendable {
    struct Call: Sendable {
        let run: @Sendable () async throws -> Void
        /// Undoes `run` when a later handler refuses the release; nil when
        /// there is nothing to undo (the first load).
        let undo: (@Sendable () async throws -> Void)?
    }

    /// The key and type the handler reads, for logs: `feature.newCheckout as Bool`.
    let subject: String
    let prepare: @Sendable (_ old: ConfigSnapshot?, _ new: ConfigSnapshot) throws -> Call?
}

extension RemoteConfiguration {
    /// Calls `handler` with the old and new value at `key` whenever a release
    /// changes it, and once with the first release's value (old nil).
    ///
    /// A new value that does not decode as `T` refuses the release, and so
    /// does an error the handler throws. The previous release then stays in
    /// force. Add handlers before `start`, so the first release reaches them.
    public func onChange<T: Decodable & Equatable & Sendable>(
        of key: String,
        as type: T.Type,
        _ handler: @escaping @Sendable (_ old: T?, _ new: T?) async throws -> Void
    ) {
        let prepare: @Sendable (ConfigSnapshot?, ConfigSnapshot) throws -> ChangeHandler.Call? = { (old: ConfigSnapshot?, new: ConfigSnapshot) throws -> ChangeHandler.Call? in
            var before: T?
            if let old {
                before = try? old.value(key, as: type)
            }
            let after: T? = try new.value(key, as: type)
            let isFirst = old == nil
            guard isFirst || before != after else { return nil }
            let run: @Sendable () async throws -> Void = { [before] in try await handler(before, after) }
            var undo: (@Sendable () async throws -> Void)?
            if !isFirst {
                undo = { [before] in try await handler(after, before) }
            }
            return ChangeHandler.Call(run: run, undo: undo)
        }
        add(ChangeHandler(subject: "\(key) as \(T.self)", prepare: prepare))
    }

    /// Calls `handler` with the whole namespace decoded as `T` for every
    /// release applied, the first one included (old nil then).
    ///
    /// A release that does not decode as `T` is refused, and so is one the
    /// handler throws for.
    public func onChange<T: Decodable & Sendable>(
        decoding type: T.Type,
        _ handler: @escaping @Sendable (_ old: T?, _ new: T) async throws -> Void
    ) {
        let prepare: @Sendable (ConfigSnapshot?, ConfigSnapshot) throws -> ChangeHandler.Call? = { (old: ConfigSnapshot?, new: ConfigSnapshot) throws -> ChangeHandler.Call? in
            let before: T? = try old?.decode(type)
            let after: T = try new.decode(type)
            let run: @Sendable () async throws -> Void = { try await handler(before, after) }
            var undo: (@Sendable () async throws -> Void)?
            if let before {
                undo = { try await handler(after, before) }
            }
            return ChangeHandler.Call(run: run, undo: undo)
        }
        add(ChangeHandler(subject: "the namespace as \(T.self)", prepare: prepare))
    }

    private func add(_ handler: ChangeHandler) {
        state.withLock { $0.handlers.append(handler) }
    }
}
