import Foundation
import StratusAppSpec
import StratusOrchestrator

/// `stratus logs SERVICE [-f] [--since DURATION]`: a service's replica logs.
enum LogsCommand {
    static let usage = """
        usage: stratus logs SERVICE [-f] [--since DURATION] [--state-dir DIR]

        Prints the output of every replica of the service, merged in time order, each line
        under its replica's name. Reads the log files that stratus up writes to
        <state-dir>/logs/<service>-<n>.log.

          -f, --follow         keep printing new lines until Ctrl-C
          --since DURATION     only lines from the last DURATION, such as 30s, 5m or 2h
                               (default: all)
          --state-dir DIR      where stratus up keeps its state (default .stratus)
        """

    static func run(_ arguments: [String]) async {
        let options = CommandOptions(arguments, command: "stratus logs", usage: usage, options: [
            .init(names: ["-f", "--follow"], takesValue: false), .init(names: ["--since"]), .init(names: ["--state-dir"]),
        ], argumentNames: ["SERVICE"])
        let service = options.arguments[0]
        let directory = (options.value("--state-dir") ?? UpState.defaultDirectory) + "/logs"
        let since = options.duration("--since").map { Date().addingTimeInterval(-SpecCoding.seconds($0)) }
        var reader = LogReader(directory: directory, service: service)
        let first = reader.readNew()
        if first.isEmpty && reader.files.isEmpty && !options.flag("--follow") {
            fail("stratus logs: no logs of service \(service) in \(directory); check the service name and --state-dir", status: 1)
        }
        emit(first, since: since)
        guard options.flag("--follow") else { return }
        while true {
            try? await Task.sleep(for: .milliseconds(200))
            emit(reader.readNew(), since: since)
        }
    }

    private static func emit(_ lines: [(replica: String, line: LogLine)], since: Date?) {
        let width = lines.map(\.replica.count).max() ?? 0
        for (replica, line) in lines where since.map({ line.time >= $0 }) ?? true {
            print("\(replica.padding(toLength: width, withPad: " ", startingAt: 0)) | \(line.text)")
        }
        fflush(nil)
    }
}

