import StratusHTTP
import StratusTelemetry

/// Command-line options of `stratus-hello`.
struct HelloOptions {
    var host = "127.0.0.1"
    var port = 8000
    var eventLoops: Int?
    var idleTimeoutSeconds = 60
    var handlerExecutor = HandlerExecutor.eventLoop
    var metrics = false
    var traceSampleRate = 0.0
    var otlpEndpoint: String?
    var otlpEncoding = OTLPEncoding.protobuf
    var accessLog = false
    var showHelp = false

    static let usage = """
        usage: stratus-hello [--host ADDRESS] [--port N] [--event-loops N] [--idle-timeout SECONDS]
                             [--handler-executor eventLoop|concurrencyPool]
                             [--metrics] [--trace-sample-rate R --otlp-endpoint URL [--otlp-encoding E]]
                             [--access-log]
          --host ADDRESS          address to listen on (default 127.0.0.1)
          --port N                port to listen on, 0 for any free port (default 8000)
          --event-loops N         event loop threads (default: one per CPU core)
          --idle-timeout SECONDS  how long a keep-alive connection may wait for a request (default 60)
          --handler-executor E    run handlers on the connection's event loop (eventLoop, the default)
                                  or on the global concurrency pool (concurrencyPool)
          --metrics               count requests and serve Prometheus metrics at GET /metrics
          --trace-sample-rate R   trace this fraction of requests, 0 to 1 (default 0: off)
          --otlp-endpoint URL     OTLP/HTTP collector to export traces to, such as
                                  http://127.0.0.1:4318 (needed when R is above 0)
          --otlp-encoding E       body encoding of trace exports: protobuf (the default) or json
          --access-log            log one line per request to standard output (JSON lines
                                  unless standard output is a terminal)
        STRATUS_LOG_LEVEL and STRATUS_LOG_FORMAT (json or console) set the log level and format.
        """

    struct InvalidOption: Error, CustomStringConvertible {
        var description: String
    }

    private static let valuedFlags: Set<String> = [
        "--host", "--port", "--event-loops", "--idle-timeout", "--handler-executor", "--trace-sample-rate", "--otlp-endpoint",
        "--otlp-encoding",
    ]

    static func parse(_ arguments: [String]) throws(InvalidOption) -> HelloOptions {
        var options = HelloOptions()
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "--help", "-h":
                options.showHelp = true
                continue
            case "--metrics":
                options.metrics = true
                continue
            case "--access-log":
                options.accessLog = true
                continue
            default:
                break
            }
            guard valuedFlags.contains(flag) else {
                throw InvalidOption(description: "unknown option \(flag)")
            }
            guard let value = remaining.popFirst() else {
                throw InvalidOption(description: "option \(flag) needs a value")
            }
            switch flag {
            case "--host":
                options.host = value
            case "--port":
                options.port = try integer(value, for: flag, in: 0...65535)
            case "--event-loops":
                options.eventLoops = try integer(value, for: flag, in: 1...256)
            case "--idle-timeout":
                options.idleTimeoutSeconds = try integer(value, for: flag, in: 1...86_400)
            case "--handler-executor":
                guard let executor = HandlerExecutor(rawValue: value) else {
                    throw InvalidOption(description: "invalid value \"\(value)\" for \(flag); expected eventLoop or concurrencyPool")
                }
                options.handlerExecutor = executor
            case "--trace-sample-rate":
                guard let rate = Double(value), (0...1).contains(rate) else {
                    throw InvalidOption(description: "invalid value \"\(value)\" for \(flag); expected a number from 0 to 1, such as 0.01")
                }
                options.traceSampleRate = rate
            case "--otlp-endpoint":
                guard value.hasPrefix("http://") else {
                    throw InvalidOption(description: "invalid value \"\(value)\" for \(flag); expected an http:// URL such as http://127.0.0.1:4318")
                }
                options.otlpEndpoint = value
            case "--otlp-encoding":
                guard let encoding = OTLPEncoding(rawValue: value) else {
                    throw InvalidOption(description: "invalid value \"\(value)\" for \(flag); expected protobuf or json")
                }
                options.otlpEncoding = encoding
            default:
                throw InvalidOption(description: "unknown option \(flag)")
            }
        }
        if options.traceSampleRate > 0 && options.otlpEndpoint == nil {
            throw InvalidOption(description: "--trace-sample-rate \(options.traceSampleRate) needs --otlp-endpoint URL to export the traces to")
        }
        return options
    }

    private static func integer(_ text: String, for flag: String, in range: ClosedRange<Int>) throws(InvalidOption) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw InvalidOption(description: "invalid value \"\(text)\" for \(flag); expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
