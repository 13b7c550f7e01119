/// A long-running part of a process (an HTTP server, a registrar, a
/// worker), shaped like swift-service-lifecycle's `Service`.
///
/// `run()` runs until the service is done. When the process shuts down
/// gracefully, `gracefulShutdown()` returns inside `run()` (and handlers
/// given to `withGracefulShutdownHandler` are called): finish the work in
/// progress and return. Task cancellation means stop now.
public protocol Service: Sendable {
    func run() async throws
}
