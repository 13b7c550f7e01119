import Foundation
import StratusDiscovery
import StratusHTTP

extension RegistryAPI {
    /// Streams registry events as JSON lines, as `JSONLineStream`
    /// describes, until the client disconnects or the store fails.
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

    private static func stream(_ events: AsyncThrowingStream<RegistryEvent, any Error>, to writer: any BodyWriter, streams: OpenStreams) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var lastRevision: Int64 = 0
        try await JSONLineStream.write(events, to: writer, streams: streams) { event in
            lastRevision = event.revision
            return Array(try encoder.encode(event))
        } overflowMessage: {
            "watch fell more than \(JSONLineStream.bufferLimit) events behind; watch again from revision \(lastRevision + 1)"
        }
    }
}
