import StratusHTTP
import StratusLog

extension StoreGatewayAPI {
    func registerWatch(on router: some RouterMethods) {
        router.post("/v3/watch") { request, _ in await watch(request) }
    }

    /// Serves `/v3/watch` as a chunked stream of JSON lines; see
    /// `WatchStreamSession`. The first message is read before the response
    /// starts, so a malformed one gets a 400 error body instead of a stream.
    func watch(_ request: Request) async -> Response {
        let reader = JSONMessageReader(request.body, maxMessageSize: configuration.maxRequestSize)
        let first: WatchMessage
        do throws(GatewayError) {
            guard let fields = try await reader.next() else {
                throw GatewayError(.invalidArgument, "missing watch request: send {\"create_request\": {\"key\": \"<base64 key>\"}}")
            }
            first = try WatchMessage.decode(fields)
        } catch {
            return error.response
        }
        return Response(headers: ["Content-Type": "application/json"], body: OutgoingBody { writer in
            let session = WatchStreamSession(api: self, output: SerialLineWriter(writer))
            try await session.run(first: first, reader: reader)
        })
    }

    /// Returns the current revision, or 0 when the store cannot report it,
    /// for responses that must go out either way.
    func currentRevisionOrZero() async -> Int64 {
        (try? await currentRevision()) ?? 0
    }
}
