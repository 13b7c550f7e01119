import Foundation
import StratusTestSupport
import Testing

/// Three candidate processes campaign on a real etcd. The leader is killed
/// with SIGKILL fifty times; each time a new candidate takes its place.
/// Every leader appends its fencing token to a shared log while it leads,
/// so two leaders at once would show as a token lower than one before it.
@Suite struct ElectionProcessTests {
    private static let runs = 50
    private static let ttl = 1

    @Test func killedLeaderIsReplaced() async throws {
        // Faster raft timing lowers etcd's minimum lease TTL to 1 s.
        let etcd = try await EtcdPeer.start(name: "election", extraArguments: ["--heartbeat-interval", "50", "--election-timeout", "500"])
        let log = etcd.directory.appendingPathComponent("leaders.log").path
        let pool = CandidatePool(arguments: [
            "campaign", "--endpoints", etcd.clientURL, "--name", "probe-election",
            "--ttl", "\(Self.ttl)", "--log", log,
        ], logPath: etcd.directory.appendingPathComponent("candidates.log").path)
        for _ in 0..<3 {
            try pool.spawn()
        }

        var tokens: [Int64] = []
        var elections: [Duration] = []
        var leader = try await pool.nextLeader()
        tokens.append(leader.token)
        for run in 1...Self.runs {
            let killed = ContinuousClock.now
            pool.kill(leader.candidate)
            try pool.spawn()
            leader = try await pool.nextLeader()
            elections.append(ContinuousClock.now - killed)
            #expect(leader.token > tokens.last!, "run \(run): token \(leader.token) after \(tokens.last!)")
            tokens.append(leader.token)
        }
        pool.killAll()
        let contents = try String(contentsOfFile: log, encoding: .utf8)
        await etcd.stop()

        let lines = contents.split(separator: "\n")
        try Self.checkFencing(lines, tokens: tokens)
        let sorted = elections.sorted()
        print("election after SIGKILL of the leader, TTL \(Self.ttl) s, \(Self.runs) runs: median \(sorted[sorted.count / 2]), max \(sorted.last!)")
    }

    /// Checks that the log's tokens never go down, that each token was
    /// written by one candidate, and that every elected leader wrote.
    private static func checkFencing(_ lines: [Substring], tokens: [Int64]) throws {
        var highest: Int64 = 0
        var writers: [Int64: Substring] = [:]
        for (number, line) in lines.enumerated() {
            let fields = line.split(separator: " ")
            let token = try #require(fields.count == 2 ? Int64(fields[0]) : nil, "log line \(number + 1) is malformed: \(line)")
            #expect(token >= highest, "log line \(number + 1): token \(token) written after \(highest): two leaders at once")
            highest = max(highest, token)
            if let writer = writers[token] {
                #expect(writer == fields[1], "token \(token) written by \(writer) and \(fields[1])")
            }
            writers[token] = fields[1]
        }
        #expect(Set(writers.keys) == Set(tokens))
    }
}

/// The candidate processes, with one merged stream of "leader" lines.
private final class CandidatePool: @unchecked Sendable {
    struct Elected {
        var candidate: Int
        var token: Int64
    }

    private let arguments: [String]
    private let logPath: String
    private var candidates: [Int: ProbeProcess] = [:]
    private var nextID = 0
    private let lines: AsyncStream<(Int, String)>
    private let sink: AsyncStream<(Int, String)>.Continuation
    private var iterator: AsyncStream<(Int, String)>.Iterator

    init(arguments: [String], logPath: String) {
        self.arguments = arguments
        self.logPath = logPath
        (lines, sink) = AsyncStream.makeStream()
        iterator = lines.makeAsyncIterator()
    }

    func spawn() throws {
        nextID += 1
        let id = nextID
        let process = try ProbeProcess("stratus-store-probe", arguments + ["--id", "candidate-\(id)"], logPath: logPath)
        candidates[id] = process
        let reader = LineReader(process.output)
        let sink = sink
        Task {
            while let line = await reader.nextLine() {
                sink.yield((id, line))
            }
        }
    }

    /// Waits for the next candidate to report that it leads, for at most
    /// 30 seconds.
    func nextLeader() async throws -> Elected {
        let deadline = Task { [sink] in
            try await Task.sleep(for: .seconds(30))
            sink.yield((0, "timeout"))
        }
        defer { deadline.cancel() }
        while let (id, line) = await iterator.next() {
            if id == 0 {
                throw ElectionTimeout()
            }
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == "leader", let token = Int64(fields[1]) {
                return Elected(candidate: id, token: token)
            }
            Issue.record("candidate-\(id) reported: \(line)")
        }
        throw ElectionTimeout()
    }

    func kill(_ id: Int) {
        candidates.removeValue(forKey: id)?.kill(SIGKILL)
    }

    func killAll() {
        for id in Array(candidates.keys) {
            kill(id)
        }
    }
}

private struct ElectionTimeout: Error, CustomStringConvertible {
    var description: String { "no candidate was elected within 30 seconds" }
}
