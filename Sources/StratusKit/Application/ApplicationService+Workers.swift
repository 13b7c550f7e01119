import StratusLog
import StratusStore

extension ApplicationService {
    /// The wait before a failed leader-only worker runs again.
    static let leaderRetryDelay = Duration.seconds(1)

    /// Runs one worker until it returns, fails or is cancelled. A failure
    /// before shutdown stops the service.
    func run(_ worker: Worker) async {
        let metadata: Logger.Metadata = ["worker.name": .string(worker.name)]
        switch worker.kind {
        case .always:
            do {
                try await worker.body()
                logger.info("worker finished", metadata: metadata)
            } catch where Task.isCancelled {
                return
            } catch {
                logger.error("worker failed; stopping the service", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
                shutdown.trigger(.workerFailed(name: worker.name, error: error))
            }
        case .leaderOnly:
            await runWhileLeader(worker, metadata: metadata)
        }
    }

    /// Campaigns in the election of `worker` and runs it while leading.
    private func runWhileLeader(_ worker: Worker, metadata: Logger.Metadata) async {
        guard let controlPlane = settings.controlPlane else {
            logger.info("no control plane configured; this instance leads alone", metadata: metadata)
            await runLeaderTerms(worker, metadata: metadata)
            return
        }
        let store: EtcdStore
        let elector: LeaderElector
        do {
            store = try EtcdStore(endpoints: controlPlane.endpoints)
            elector = try LeaderElector(
                store: store,
                name: "/stratus/leaders/\(name)/\(worker.name)",
                leaseTTL: controlPlane.ttlSeconds,
                logger: logger
            ) { [self] in
                await runLeaderTerms(worker, metadata: metadata)
            }
        } catch {
            logger.error("cannot join the leader election; the leader-only worker does not run", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
            return
        }
        elector.start(candidate: instanceID)
        // The worker's task is cancelled when the service stops.
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await elector.stop()
        await store.close()
    }

    /// Runs a leader-only worker until its task is cancelled, running it
    /// again after `leaderRetryDelay` when it throws or returns.
    private func runLeaderTerms(_ worker: Worker, metadata: Logger.Metadata) async {
        while !Task.isCancelled {
            do {
                try await worker.body()
                logger.info("leader-only worker returned; running it again", metadata: metadata)
            } catch where Task.isCancelled {
                return
            } catch {
                logger.error("leader-only worker failed; running it again", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
            }
            try? await Task.sleep(for: Self.leaderRetryDelay)
        }
    }
}
