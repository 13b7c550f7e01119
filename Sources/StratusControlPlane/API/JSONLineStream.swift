import Foundation
import StratusDiscovery
import StratusHTTP
import Synchronization

/// Writes a watch stream's events as JSON lines (`application/x-ndjson`)
/// until the events end, the client disconnects or the control plane shuts
/// down, for the registry's and the config center's watches.
///
/// - An empty line goes out after `keepAliveInterval` of silence, so that a
///   client that went away is noticed by the failed write and proxies do
///   not close an idle stream.
/// - When the events fail, the stream ends with an `APIErrorBody` line of
///   code `unavailable`.
/// - Up to `bufferLimit` events may wait for a slow client. One more ends
///   the stream with an error line that `overflowMessage` words; the client
///   then watches again.
/// - `OpenStreams.closeAll()` ends the stream cleanly, without an error line.
enum JSONLineStream {
    static let keepAliveInterval: Duration = .seconds(15)
    static let bufferLimit = 10_000

    static func write<Event: Sendable>(
        _ events: AsyncThrowingStream<Event, any Error>,
        to writer: any BodyWriter,
        streams: OpenStreams,
        encode: (Event) throws -> [UInt8],
        overflowMessage: () -> String
    ) async throws {
        let (items, sink) = AsyncStream<StreamItem<Event>>.makeStream(bufferingPolicy: .bufferingOldest(bufferLimit))
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
        for await item in items {
            switch item {
            case .event(let event):
                try await writer.write(try encode(event) + [UInt8(ascii: "\n")])
            case .keepAlive:
                try await writer.write([UInt8(ascii: "\n")])
            case .failed(let message):
                try await writeError("watch ended: \(message)", to: writer)
                return
            }
        }
        guard overflow.isSet else { return }
        try await writeError(overflowMessage(), to: writer)
    }

    private static func writeError(_ message: String, to writer: any BodyWriter) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = APIErrorBody(error: .init(code: "unavailable", message: message))
        try await writer.write(Array(try encoder.encode(body)) + [UInt8(ascii: "\n")])
    }
}

private enum StreamItem<Event: Sendable>: Sendable {
    case event(Event)
    case keepAlive
    case failed(String)
}

/// Set once by the task that reads events when the client fell too far behind.
private final class OverflowFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
