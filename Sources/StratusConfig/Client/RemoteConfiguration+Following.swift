import Synchronization
import Foundation
import StratusDiscovery
import StratusHTTP
import StratusLog

extension RemoteConfiguration {
    /// The maximum wait between attempts to open the watch.
    static let maxBackoff: Duration = .seconds(5)

    /// Starts following the namespace and returns once the first release is
    /// in force or the start gave up on it; see the type's documentation.
    public func start() async {
        let task = Task { [self] in await follow() }
        state.withLock { $0.follower = task }
        let deadline = Task { [self] in
            try? await Task.sleep(for: options.startTimeout)
            await giveUpWaitingForControlPlane()
        }
        await waitForFirstAttempt()
        deadline.cancel()
    }

    /// Stops following and returns once no handler runs; no handler runs
    /// after it. The release in force stays readable.
    public func stop() async {
        let task = state.withLock { state in
            state.stopped = true
            defer { state.follower = nil }
            return state.follower
        }
        task?.cancel()
        await task?.value
        // An apply that started before the stop finishes first.
        await gate.run {}
        releaseStartWaiters()
    }

    /// Suspends until a release is in force, or the task is cancelled.
    public func waitUntilLoaded() async {
        await withCheckedContinuation { continuation in
            let loaded = state.withLock { state in
                if state.loaded { return true }
                state.loadWaiters.append(continuation)
                return false
            }
            if loaded { continuation.resume() }
        }
    }

    private func follow() async {
        var backoff: Duration = .milliseconds(100)
        var unreachable = false
        while !Task.isCancelled {
            do {
                let response = try await client.openWatch(
                    application: options.application,
                    environment: options.environment,
                    namespaces: [options.namespace],
                    instance: options.instanceID,
                    labels: options.labels
                )
                backoff = .milliseconds(100)
                if unreachable {
                    unreachable = false
                    logger.info("control plane reachable again; config watch resumed", metadata: metadata)
                }
                // A body read does not end when the task is cancelled, so
                // `stop` stops waiting for it instead.
                try await CancellableWait.run { [self] in try await read(response) }
            } catch {
                guard !Task.isCancelled else { return }
                if !unreachable {
                    unreachable = true
                    logger.warning("config watch failed; keeping the release in force and trying again", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
                }
                await giveUpWaitingForControlPlane()
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, Self.maxBackoff)
            }
        }
    }

    /// Applies each event of the stream until it ends; throws when it does.
    private func read(_ response: HTTPClientResponse) async throws {
        var lines = JSONLineSplitter()
        for try await chunk in response.body {
            for line in lines.append(chunk) {
                guard !Task.isCancelled else { return }
                try await handle(line)
            }
        }
        throw ConfigCenterError(.unavailable, "the config watch stream of \(options.coordinates) ended")
    }

    private func handle(_ line: [UInt8]) async throws {
        guard let event = try? ConfigJSON.decode(ConfigWatchEvent.self, from: line) else {
            let failure = try? ConfigJSON.decode(ConfigErrorBody.self, from: line)
            throw ConfigCenterError(.unavailable, failure?.error.message ?? "unreadable config watch line")
        }
        guard event.namespace == options.namespace else { return }
        let outcome = await apply(event.type == .release ? event.release : nil, from: .controlPlane)
        if outcome == .unchanged {
            // The control plane confirmed the release in force, which may
            // have come from the cache.
            state.withLock { if $0.loaded { $0.source = .controlPlane } }
        }
        if case .refused = outcome, !isLoaded {
            // The control plane's first release is refused: the last good
            // one, from the cache, is the best there is.
            _ = await loadFromCache()
        }
        releaseStartWaiters()
    }

    /// Applies the cached release when none is in force yet, because the
    /// control plane failed or did not deliver a release in time, then lets
    /// `start` return.
    private func giveUpWaitingForControlPlane() async {
        _ = await loadFromCache()
        releaseStartWaiters()
    }

    private func waitForFirstAttempt() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.firstAttemptDone { return true }
                state.startWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func releaseStartWaiters() {
        let waiters = state.withLock { state in
            state.firstAttemptDone = true
            defer { state.startWaiters = [] }
            return state.startWaiters
        }
        waiters.forEach { $0.resume() }
    }
}
