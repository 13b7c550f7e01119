import StratusDiscovery
import StratusLog
import Synchronization

/// The instance's registration with the service center, from startup to
/// the drain.
///
/// `start` registers once. When no control plane responds it keeps trying
/// in the background every `retryDelay` while the service serves, so a
/// service and its control plane may start in any order. A registration
/// the control plane rejects as invalid is a startup error.
final class InstanceRegistration: Sendable {
    static let retryDelay = Duration.seconds(1)

    let registrar: ServiceRegistrar
    private let logger: Logger
    private let state = Mutex<(registered: Bool, retries: Task<Void, Never>?)>((false, nil))

    init(registrar: ServiceRegistrar, logger: Logger) {
        self.registrar = registrar
        self.logger = logger
    }

    var isRegistered: Bool { state.withLock { $0.registered } }

    /// Registers the instance, or starts retrying in the background when
    /// the control plane is unreachable.
    ///
    /// - Throws: `StartupError` when the control plane rejects the instance.
    func start() async throws(StartupError) {
        do {
            try await registrar.start()
            state.withLock { $0.registered = true }
        } catch where Self.isRetryable(error) {
            logger.warning("control plane unreachable; registering in the background", metadata: metadata(error))
            let retries = Task { [self] in await retryUntilRegistered() }
            state.withLock { $0.retries = retries }
        } catch {
            throw StartupError(
                "the control plane rejected the registration of instance \(registrar.instance.id): \(error.message); fix the controlPlane or server settings"
            )
        }
    }

    /// Marks the instance DRAINING, so load balancers skip it at once, then
    /// deregisters it. Failures are logged: the registration then expires
    /// after its TTL.
    func drain() async {
        let (registered, retries) = state.withLock { state in
            defer { state.retries = nil }
            return (state.registered, state.retries)
        }
        retries?.cancel()
        await retries?.value
        guard registered || state.withLock({ $0.registered }) else { return }
        do {
            try await registrar.setStatus(.draining)
            logger.info("instance marked DRAINING", metadata: metadata(nil))
        } catch {
            logger.warning("marking the instance DRAINING failed; deregistering", metadata: metadata(error))
        }
        await registrar.stop()
    }

    private func retryUntilRegistered() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.retryDelay)
            guard !Task.isCancelled else { return }
            do {
                try await registrar.start()
                state.withLock { $0.registered = true }
                return
            } catch where Self.isRetryable(error) {
                continue
            } catch {
                logger.error("the control plane rejected the registration; the instance stays unregistered", metadata: metadata(error))
                return
            }
        }
    }

    /// Whether registering again may succeed: the control plane was
    /// unreachable or sent a response it should not have (a proxy's error
    /// page while it restarts). A rejected instance stays rejected.
    private static func isRetryable(_ error: DiscoveryError) -> Bool {
        error.code == .unavailable || error.code == .invalidResponse
    }

    private func metadata(_ error: DiscoveryError?) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "service.name": .string(registrar.instance.service),
            "instance.id": .string(registrar.instance.id),
        ]
        if let error {
            metadata["error"] = .string("\(error)")
        }
        return metadata
    }
}
