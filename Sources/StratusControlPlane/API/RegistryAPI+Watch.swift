import Foundation
import Synchronization
import StratusDiscovery
import StratusHTTP

extension RegistryAPI {
    /// Seconds of silence after which the watch stream sends an empty line,
    /// so that a client that went away is noticed by the failed write and
    /// proxies do not close an idle stream.
    static let keepAliveInterval: Duration = .seconds(15)

    /// Streams registry events as JSON lines until the client disconnects
    /// or the store fails.
    func watch(_ request: Request) throws -> Response {
        let service = request.queryParameter("service").flatMap { $0.isEmpty ? nil : $0 }
        var revision: Int64?
        if let text = request.queryParameter("revision") {
            guard let value = Int64(text) else {
                throw RegistryError.invalid(ValidationError(field: "revision", value: text, expected: "a positive revision"))
            }
            revision = value
        }
        let events = try registry.watch(service: service, from: revision)
        let streams = streams
        let body = OutgoingBody { writer in
            try await Self.stream(events, to: writer, streams: streams)
        }
        return Response(status: .ok, headers: ["Content-Type": "application/x-ndjson"], body: body)
    }

    private enum Item: Sendable {
        case event(RegistryEvent)
        case keepAlive
        case failed(String)
    }

    /// Events that may wait for a slow client before the stream ends with
    /// an error line; the client then watches again from its last revision.
    static let bufferLimit = 10_000

    private static func stream(_ events: AsyncThrowingStream<RegistryEvent, any Error>, to writer: any BodyWriter, streams: OpenStreams) async throws {
        let (items, sink) = AsyncStream<Item>.makeStream(bufferingPolicy: .bufferingOldest(bufferLimit))
        // A shutdown finishes the items, which ends the response cleanly.
        guard let streamID = streams.add(end: { sink.finish() }) else { return }
        defer { streams.remove(streamID) }
        let overflow = OverflowFlag()
        let reader = Task {
            do {
                for try await event in events {
                    if case .dropped = sink.yield(.event(event)) {
                        overflow.set()
                        break
                    }
                }
            } catch {
                sink.yield(.failed("\(error)"))
            }
            sink.finish()
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: keepAliveInterval)
                sink.yield(.keepAlive)
            }
        }
        defer {
            reader.cancel()
            ticker.cancel()
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var lastRevision: Int64 = 0
        for await item in items {
            switch item {
            case .event(let event):
                lastRevision = event.revision
                try await writer.write(Array(try encoder.encode(event)) + [UInt8(ascii: "\n")])
            case .keepAlive:
                try await writer.write([UInt8(ascii: "\n")])
            case .failed(let message):
                let body = APIErrorBody(error: .init(code: "unavailable", message: "watch ended: \(message)"))
                try await writer.write(Array(try encoder.encode(body)) + [UInt8(ascii: "\n")])
                return
            }
        }
        guard overflow.isSet else { return }
        let message = "watch fell more than \(bufferLimit) events behind; watch again from revision \(lastRevision + 1)"
        let body = APIErrorBody(error: .init(code: "unavailable", message: message))
        try await writer.write(Array(try encoder.encode(body)) + [UInt8(ascii: "\n")])
    }
}

/// Set once by the task that reads events when the client fell too far behind.
private final class OverflowFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
