import StratusHTTP

/// Command-line options of `stratus-hello`.
struct HelloOptions {
    var host = "127.0.0.1"
    var port = 8000
    var eventLoops: Int?
    var idleTimeoutSeconds = 60
    var handlerExecutor = HandlerExecutor.eventLoop
    var showHelp = false

    static let usage = """
        usage: stratus-hello [--host ADDRESS] [--port N] [--event-loops N] [--idle-timeout SECONDS]
                             [--handler-executor eventLoop|concurrencyPool]
          --host ADDRESS          address to listen on (default 127.0.0.1)
          --port N                port to listen on, 0 for any free port (default 8000)
          --event-loops N         event loop threads (default: one per CPU core)
          --idle-timeout SECONDS  how long a keep-alive connection may wait for a request (default 60)
          --handler-executor E    run handlers on the connection's event loop (eventLoop, the default)
                                  or on the global concurrency pool (concurrencyPool)
        """

    struct InvalidOption: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ arguments: [String]) throws(InvalidOption) -> HelloOptions {
        var options = HelloOptions()
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            if flag == "--help" || flag == "-h" {
                options.showHelp = true
                continue
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
            default:
                throw InvalidOption(description: "unknown option \(flag)")
            }
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
