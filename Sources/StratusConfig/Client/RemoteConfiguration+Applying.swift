import Synchronization
import Foundation
import StratusLog

extension RemoteConfiguration {
    /// The result of offering a release to the handlers.
    enum Outcome: Equatable {
        case applied
        case refused(String)
        /// It is the release in force, or one refused before.
        case unchanged
    }

    /// Applies a release when every handler accepts it; see the type's
    /// documentation. Applies run one at a time.
    @discardableResult
    func apply(_ release: Release?, from source: Source) async -> Outcome {
        await gate.run { await applyAlone(release, from: source) }
    }

    private func applyAlone(_ release: Release?, from source: Source) async -> Outcome {
        let (current, loaded, handlers, refusedBefore, stopped) = state.withLock { ($0.snapshot, $0.loaded, $0.handlers, $0.refused, $0.stopped) }
        if stopped || (loaded && current.release?.number == release?.number) {
            return .unchanged
        }
        if let number = release?.number, refusedBefore.contains(number), source == .controlPlane {
            return .unchanged
        }
        let outcome = await offer(release, to: handlers, replacing: loaded ? current : nil)
        switch outcome {
        case .applied:
            state.withLock { $0.source = source }
            logger.info("config release applied", metadata: metadata.merging([
                "config.release": .stringConvertible(release?.number ?? 0),
                "config.source": .string(source.rawValue),
            ]) { $1 })
            if source == .controlPlane {
                keepInCache(release)
            }
        case .refused(let reason):
            if let number = release?.number {
                state.withLock { _ = $0.refused.insert(number) }
            }
            logger.error("config release refused; keeping the previous one", metadata: metadata.merging([
                "config.release": .stringConvertible(release?.number ?? 0),
                "config.source": .string(source.rawValue),
                "error": .string(reason),
            ]) { $1 })
        case .unchanged:
            break
        }
        if source == .controlPlane, let number = release?.number {
            report(number, outcome)
        }
        return outcome
    }

    private func offer(_ release: Release?, to handlers: [ChangeHandler], replacing old: ConfigSnapshot?) async -> Outcome {
        let new: ConfigSnapshot
        var calls: [(subject: String, call: ChangeHandler.Call)] = []
        do {
            new = try ConfigSnapshot(release: release, name: options.coordinates.description)
            for handler in handlers {
                if let call = try handler.prepare(old, new) {
                    calls.append((handler.subject, call))
                }
            }
        } catch {
            return .refused("\(error)")
        }
        for (index, entry) in calls.enumerated() {
            do {
                try await entry.call.run()
            } catch {
                await undo(calls[..<index].map(\.call))
                return .refused("the change handler for \(entry.subject) failed: \(error)")
            }
        }
        let waiters = state.withLock { state in
            state.snapshot = new
            state.loaded = true
            defer { state.loadWaiters = [] }
            return state.loadWaiters
        }
        waiters.forEach { $0.resume() }
        return .applied
    }

    /// Calls the handlers that accepted a refused release again, newest
    /// first, with the values swapped.
    private func undo(_ calls: [ChangeHandler.Call]) async {
        for call in calls.reversed() {
            do {
                try await call.undo?()
            } catch {
                logger.error("undoing a config change handler failed", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
            }
        }
    }

    private func keepInCache(_ release: Release?) {
        guard let cache else { return }
        do {
            if let release {
                try cache.write(release)
            } else {
                cache.remove(options.coordinates)
            }
        } catch {
            logger.warning("writing the config cache failed", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
        }
    }

    /// Tells the control plane what became of a release, through the
    /// reporter, which sends it in the background.
    private func report(_ number: Int, _ outcome: Outcome) {
        let status: InstanceReport.Status
        var reason: String?
        switch outcome {
        case .applied: status = .applied
        case .refused(let why): (status, reason) = (.refused, why)
        case .unchanged: return
        }
        reporter.send(InstanceReport(instance: options.instanceID, release: number, status: status, reason: reason, labels: options.labels))
    }

    /// Applies the cached release unless a release is in force; returns
    /// whether one was applied.
    func loadFromCache() async -> Bool {
        guard let cache, !isLoaded else { return false }
        do {
            guard let release = try cache.read(options.coordinates) else { return false }
            let outcome = await gate.run { isLoaded ? Outcome.unchanged : await applyAlone(release, from: .cache) }
            if outcome == .applied {
                logger.info("config loaded from the cache", metadata: metadata.merging(["config.release": .stringConvertible(release.number)]) { $1 })
            }
            return outcome == .applied
        } catch {
            logger.warning("reading the config cache failed", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
            return false
        }
    }
}
