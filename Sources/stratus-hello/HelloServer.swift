import Dispatch
import Glibc
import StratusHTTP
import StratusLog
import StratusNet
import StratusTelemetry

/// The example server and benchmark target: `GET /` returns a fixed text and
/// `GET /json` a small JSON document encoded for each request.
@main
struct HelloServer {
    struct Message: Encodable {
        let message: String
    }

    static func main() async {
        let options: HelloOptions
        do {
            options = try HelloOptions.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            printError("stratus-hello: \(error)\nRun stratus-hello --help for the options.")
            exit(2)
        }
        if options.showHelp {
            print(HelloOptions.usage)
            return
        }
        let router = Router()
        var telemetry = HelloTelemetry(options: options)
        do {
            try telemetry.install(on: router)
        } catch {
            printError("stratus-hello: \(error)")
            exit(2)
        }
        router.get("/") { _, _ in
            "Hello, World!"
        }
        router.get("/json") { _, _ in
            try Response.json(Message(message: "Hello, World!"))
        }
        await serve(router.buildResponder(), options: options)
        await telemetry.processor?.shutdown(timeout: .seconds(5))
    }

    static func serve(_ responder: some HTTPResponder, options: HelloOptions) async {
        var configuration = HTTPServerConfiguration(host: options.host, port: options.port)
        configuration.idleTimeout = .seconds(options.idleTimeoutSeconds)
        configuration.handlerExecutor = options.handlerExecutor
        let group: EventLoopGroup
        do {
            group = try EventLoopGroup(loopCount: options.eventLoops ?? EventLoopGroup.coreCount)
        } catch {
            printError("stratus-hello: cannot start event loops: \(error)\n")
            exit(1)
        }
        var logger = Logger(label: "stratus-hello")
        logger.logLevel = .warning
        let server = HTTPServer(configuration: configuration, responder: responder, group: group, logger: logger)
        do {
            try await server.start()
        } catch {
            printError("stratus-hello: cannot listen on \(options.host):\(options.port): \(error)\n")
            exit(1)
        }
        print("stratus-hello listening on http://\(server.localAddress!) (\(group.loops.count) event loops)")
        fflush(nil)
        _ = await TerminationSignal.wait()
        print("stratus-hello shutting down")
        await server.shutdown(gracePeriod: .seconds(5))
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    _ = line.withCString { write(2, $0, strlen($0)) }
}
