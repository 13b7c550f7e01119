import Synchronization

struct InboxTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Items collected by a background task, with a bounded wait for a count
/// of them: the tests' way to await deliveries without sleeping.
final class Inbox<Item: Sendable>: Sendable {
    private struct State {
        var items: [Item] = []
        var waiters: [(id: Int, ready: @Sendable ([Item]) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
        var nextID = 0
    }

    private let state = Mutex(State())

    var items: [Item] { state.withLock { $0.items } }

    func append(_ item: Item) {
        let ready = state.withLock { state in
            state.items.append(item)
            let items = state.items
            let ready = state.waiters.filter { $0.ready(items) }
            state.waiters.removeAll { $0.ready(items) }
            return ready
        }
        ready.forEach { $0.continuation.resume() }
    }

    /// Waits until at least `count` items arrived and returns all items;
    /// throws when `limit` passes first.
    @discardableResult
    func wait(for count: Int, within limit: Duration = .seconds(30), _ what: String = "items") async throws -> [Item] {
        try await wait(within: limit, "\(count) \(what)") { $0.count >= count }
    }

    /// Waits until `ready` holds for the items and returns them; throws
    /// when `limit` passes first.
    @discardableResult
    func wait(within limit: Duration = .seconds(30), _ what: String, until ready: @escaping @Sendable ([Item]) -> Bool) async throws -> [Item] {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            self.resume(id)
        }
        defer { timer.cancel() }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if ready(state.items) { return true }
                state.waiters.append((id, ready, continuation))
                return false
            }
            if done { continuation.resume() }
        }
        let items = self.items
        guard ready(items) else {
            throw InboxTimeout(description: "waited \(limit) for \(what), got \(items.count) items")
        }
        return items
    }

    private func resume(_ id: Int) {
        let waiter = state.withLock { state in
            let index = state.waiters.firstIndex { $0.id == id }
            return index.map { state.waiters.remove(at: $0) }
        }
        waiter?.continuation.resume()
    }
}
