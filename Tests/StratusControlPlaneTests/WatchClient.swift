import Foundation
import StratusHTTP
import Synchronization

/// One `/v3/watch` request whose body the test writes message by message
/// (a chunked body that stays open until `endBody()`), and whose response
/// it reads line by line.
///
/// `HTTPClient` closes a connection whose request body producer throws,
/// which is how `close()` ends the connection.
final class WatchClient: @unchecked Sendable {
    private enum Command {
        case send(String)
        case end
        case abort
    }

    private struct Aborted: Error {}

    // `buffer` is used by the test's task only.
    private let reader: ChunkReader
    private var buffer: [UInt8] = []
    private let commands: AsyncStream<Command>.Continuation
    let status: Int

    private init(iterator: IncomingBody.Iterator, commands: AsyncStream<Command>.Continuation, status: Int) {
        reader = ChunkReader(iterator: iterator)
        self.commands = commands
        self.status = status
    }

    /// Sends `first` and returns once the response head arrived.
    static func open(_ url: String, client: HTTPClient, first: String) async throws -> WatchClient {
        let (stream, commands) = AsyncStream<Command>.makeStream()
        commands.yield(.send(first))
        let body = OutgoingBody { writer in
            for await command in stream {
                switch command {
                case .send(let text): try await writer.write(text)
                case .end: return
                case .abort: throw Aborted()
                }
            }
        }
        let request = HTTPClientRequest(method: .post, url: url + "/v3/watch", body: body)
        let response = try await client.execute(request, timeout: .seconds(20))
        return WatchClient(iterator: response.body.makeAsyncIterator(), commands: commands, status: response.status.code)
    }

    /// Sends one more message in the request body.
    func send(_ message: String) {
        commands.yield(.send(message))
    }

    /// Ends the request body; the response goes on.
    func endBody() {
        commands.yield(.end)
    }

    /// Closes the connection.
    func close() {
        commands.yield(.abort)
        commands.finish()
    }

    /// Returns the next line of the response parsed as a JSON object, or nil
    /// when the response ended. Fails when no line arrives within `limit`.
    func nextLine(within limit: Duration = .seconds(20)) async throws -> [String: Any]? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    throw GatewayTestError(description: "watch line is not a JSON object: \(String(decoding: line, as: UTF8.self))")
                }
                return object
            }
            guard let chunk = try await nextChunk(within: limit) else {
                guard buffer.isEmpty else {
                    throw GatewayTestError(description: "watch response ended inside a line: \(String(decoding: buffer, as: UTF8.self))")
                }
                return nil
            }
            buffer.append(contentsOf: chunk)
        }
    }

    /// Returns the `result` of the next line, failing when there is none.
    func nextResult(within limit: Duration = .seconds(20)) async throws -> [String: Any] {
        guard let line = try await nextLine(within: limit) else {
            throw GatewayTestError(description: "the watch response ended; expected another result")
        }
        guard let result = line["result"] as? [String: Any] else {
            throw GatewayTestError(description: "expected a result line, got \(line)")
        }
        return result
    }

    /// Reads the next chunk in a task of its own, so that a read that never
    /// ends fails the test after `limit` instead of hanging it.
    private func nextChunk(within limit: Duration) async throws -> [UInt8]? {
        let race = FirstResult<Result<[UInt8]?, any Error>>()
        let reader = self.reader
        return try await withCheckedContinuation { continuation in
            race.set(continuation)
            Task {
                race.resume(returning: await Result(catching: { try await reader.next() }))
            }
            Task {
                try? await Task.sleep(for: limit)
                race.resume(returning: .failure(GatewayTestError(description: "no watch response line arrived within \(limit)")))
            }
        }.get()
    }
}

/// The response body's iterator, shared with the task that reads a chunk.
private final class ChunkReader: @unchecked Sendable {
    var iterator: IncomingBody.Iterator

    init(iterator: IncomingBody.Iterator) {
        self.iterator = iterator
    }

    func next() async throws -> [UInt8]? {
        try await iterator.next()
    }
}

/// A continuation that the first of two racing tasks resumes.
private final class FirstResult<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, Never>?>(nil)

    func set(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(returning value: T) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
