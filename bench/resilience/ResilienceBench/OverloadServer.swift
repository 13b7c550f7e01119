import Foundation
import StratusHTTP
import StratusLog
import StratusNet
import StratusResilience

/// The service the overload run measures: `GET /work` queues a job of fixed
/// CPU work on a `WorkerPool` and responds 200 when it is done; `GET /stats`
/// returns the load shedder's counters as JSON. With shedding, a
/// `LoadSheddingMiddleware` fed by a `CPUUsageSampler` runs before the
/// handler. Prints `listening on PORT` once it accepts connections, and runs
/// until the process is killed.
enum OverloadServer {
    static func run(_ options: BenchOptions) async throws {
        let group = try EventLoopGroup(loopCount: 1)
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: options.port)
        configuration.backlog = 4_096
        let logger = Logger(label: "stratus.bench") { NoOpLogHandler(label: $0) }
        let server = HTTPServer(configuration: configuration, responder: makeRouter(options).buildResponder(), group: group, logger: logger)
        try await server.start()
        guard let port = server.localAddress?.port else {
            throw BenchError("the server has no local address after start")
        }
        FileHandle.standardOutput.write(Data("listening on \(port)\n".utf8))
        while true {
            try await Task.sleep(for: .seconds(3_600))
        }
    }

    /// Without shedding, the shedder runs in dry-run mode, so /stats still
    /// reports what it would have shed.
    private static func makeRouter(_ options: BenchOptions) -> Router {
        let pool = WorkerPool(workers: options.workers, work: options.work)
        let sampler = CPUUsageSampler()
        let shedder = LoadShedder(mode: options.shedding ? .enforce : .dryRun, cpuUsage: sampler.reader)
        let router = Router()
        let work = router.group("/work")
        work.add(middleware: LoadSheddingMiddleware(shedder: shedder))
        work.get("") { _, _ in
            await pool.run()
            return Response.text("ok")
        }
        router.get("/stats") { _, _ in
            try Response.json([
                "admitted": shedder.counters.admitted,
                "rejected": shedder.counters.rejected,
                "would_reject": shedder.counters.wouldReject,
                "cpu_count": sampler.cpuCount,
            ])
        }
        return router
    }
}
