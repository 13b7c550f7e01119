import Foundation
import StratusStore

/// A process that the store tests start and kill.
///
/// - `write` puts keys into an embedded store and prints each acknowledged
///   write, so a test can kill it with SIGKILL and check that every
///   acknowledged write survived.
/// - `campaign` runs for leadership in an election on etcd. Once elected it
///   appends "TOKEN ID" to a shared log every 10 ms until its lease is lost,
///   and prints "leader TOKEN" after the first line, so a test can check
///   that no two leaders wrote at once.
@main
struct StoreProbe {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "write":
            try await write(options(arguments.dropFirst()))
        case "campaign":
            try await campaign(options(arguments.dropFirst()))
        default:
            FileHandle.standardError.write(Data("""
                usage: stratus-store-probe write --path FILE [--writers N]
                       stratus-store-probe campaign --endpoints URL[,URL] --name NAME --ttl SECONDS --log FILE --id ID

                """.utf8))
            exit(2)
        }
    }

    private static func options(_ arguments: ArraySlice<String>) -> [String: String] {
        var options: [String: String] = [:]
        var iterator = arguments.makeIterator()
        while let name = iterator.next(), let value = iterator.next() {
            options[String(name.drop { $0 == "-" })] = value
        }
        return options
    }

    /// Puts keys from several writers until killed, printing
    /// "ack KEY REVISION" after each write returns.
    private static func write(_ options: [String: String]) async throws {
        guard let path = options["path"] else {
            FileHandle.standardError.write(Data("write: missing --path\n".utf8))
            exit(2)
        }
        let writers = Int(options["writers"] ?? "16") ?? 16
        let store = try EmbeddedStore(configuration: .init(path: path))
        let output = AckOutput()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var sequence = 0
                    while true {
                        let key = "w\(writer)/\(sequence)"
                        let revision = try await store.put(key, "\(sequence)")
                        output.print("ack \(key) \(revision)")
                        sequence += 1
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

extension StoreProbe {
    private static func campaign(_ options: [String: String]) async throws {
        guard let endpoints = options["endpoints"], let name = options["name"], let log = options["log"],
              let id = options["id"], let ttl = Int64(options["ttl"] ?? "")
        else {
            FileHandle.standardError.write(Data("campaign: missing --endpoints, --name, --ttl, --log or --id\n".utf8))
            exit(2)
        }
        let store = try EtcdStore(endpoints: endpoints.split(separator: ",").map(String.init))
        let session = try await LeaseSession(store: store, ttl: ttl)
        let leadership = try await Election(store: store, name: name).campaign(session: session, value: id)
        let descriptor = open(log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else {
            FileHandle.standardError.write(Data("campaign: cannot open \(log)\n".utf8))
            exit(2)
        }
        // One write(2) per line on an O_APPEND file: lines from the
        // candidates never interleave.
        let line = Array("\(leadership.fencingToken) \(id)\n".utf8)
        let output = AckOutput()
        var announced = false
        while !leadership.isLost {
            _ = line.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if !announced {
                // Announced after the first line is in the log, so a test
                // that kills the leader at once still finds its token there.
                output.print("leader \(leadership.fencingToken)")
                announced = true
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        output.print("lost")
        exit(3)
    }
}

/// Writes whole lines to standard output without buffering, so a line is
/// out before the process can be killed.
final class AckOutput: Sendable {
    func print(_ line: String) {
        var bytes = Array((line + "\n").utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
