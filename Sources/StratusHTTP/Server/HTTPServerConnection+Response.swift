import StratusLog
import StratusNet

extension HTTPServerConnection {
    /// Runs the responder on a task bound to this connection's loop and writes
    /// its response.
    func runHandler(_ request: Request) {
        let context = RequestContext(remoteAddress: remoteAddress, logger: shared.logger)
        switch shared.configuration.handlerExecutor {
        case .eventLoop:
            Task(executorPreference: loop) { [self] in
                let response = await respond(to: request, context: context)
                await send(response, for: request.head)
            }
        case .concurrencyPool:
            Task { [self] in
                let response = await respond(to: request, context: context)
                await withTaskExecutorPreference(loop) {
                    await send(response, for: request.head)
                }
            }
        }
    }

    private func respond(to request: Request, context: RequestContext) async -> Response {
        do {
            return try await shared.responder.respond(to: request, context: context)
        } catch let error as HTTPError {
            return error.response
        } catch {
            // The router's recovery middleware normally catches errors first; this
            // is the last line for responders built without it.
            shared.logger.error("handler failed", metadata: [
                "error": "\(error)",
                "http.method": "\(request.head.method)",
                "http.target": "\(request.head.target)",
            ])
            return HTTPError(.internalServerError).response
        }
    }

    /// Writes `response` and then either reads the next request or closes.
    func send(_ response: Response, for head: HTTPRequestHead) async {
        assert(loop.inEventLoop, "a response must be written on the connection's event loop")
        guard !tcp.isClosed else { return }
        if let upgradeHandler = response.upgradeHandler, response.status == .switchingProtocols {
            switchProtocols(response, handler: upgradeHandler)
            return
        }
        let response = validated(response)
        let suppressBody = head.method == .head || response.status.forbidsContent
        switch response.body.storage {
        case .bytes(let bytes):
            let keepAlive = shouldKeepAlive(head, response, framingKnown: true)
            let framing: BodyFraming = response.status.forbidsContent ? .none : .contentLength(Int64(bytes.count))
            tcp.write(ResponseSerializer.head(
                response.status, headers: headers(of: response, for: head, keepAlive: keepAlive), framing: framing,
                date: loopState.dateCache.current(), close: !keepAlive,
                appending: suppressBody ? [] : bytes
            ))
            tcp.flush()
            finishResponse(keepAlive: keepAlive)
        case .stream(let length, let producer):
            let chunked = length == nil && head.version == .http1_1
            let keepAlive = shouldKeepAlive(head, response, framingKnown: length != nil || chunked)
            let framing: BodyFraming = response.status.forbidsContent ? .none : length.map { .contentLength(Int64($0)) } ?? (chunked ? .chunked : .untilClose)
            tcp.write(ResponseSerializer.head(
                response.status, headers: headers(of: response, for: head, keepAlive: keepAlive), framing: framing,
                date: loopState.dateCache.current(), close: !keepAlive
            ))
            tcp.flush()
            if !suppressBody {
                guard await stream(producer, chunked: chunked, length: length, head: head) else { return }
            }
            finishResponse(keepAlive: keepAlive)
        }
    }

    /// Returns the response's fields, plus `Connection: keep-alive` when an HTTP/1.0
    /// connection stays open, because an HTTP/1.0 client keeps the connection
    /// only when the response contains that field (RFC 9112, section 9.3).
    private func headers(of response: Response, for head: HTTPRequestHead, keepAlive: Bool) -> HTTPFields {
        guard keepAlive && head.version == .http1_0 else { return response.headers }
        var headers = response.headers
        headers.append("Connection", "keep-alive")
        return headers
    }

    /// Runs a streaming producer; returns false when the connection had to close.
    ///
    /// The producer runs in a task of its own, which is cancelled when the
    /// client closes the connection or shuts down its sending side. Without
    /// that, a producer that waits for something to send (a watch) would
    /// notice only at its next write.
    private func stream(
        _ producer: @escaping @Sendable (any BodyWriter) async throws -> Void,
        chunked: Bool,
        length: Int?,
        head: HTTPRequestHead
    ) async -> Bool {
        let writer = StreamingBodyWriter(output: output, chunked: chunked)
        let task = Task(executorPreference: loop) { try await producer(writer) }
        streamingProducer = task
        if peerEnded {
            task.cancel()
        }
        defer { streamingProducer = nil }
        do {
            try await task.value
            try await writer.finish(expectedLength: length)
            return true
        } catch {
            // Part of the response is on the wire, so the only way to tell the
            // client it is incomplete is to close the connection.
            if !(error is ConnectionClosedError) && !peerEnded {
                shared.logger.error("response body failed", metadata: [
                    "error": "\(error)",
                    "http.method": "\(head.method)",
                    "http.target": "\(head.target)",
                ])
            }
            await output.onLoop { self.tcp.close(error: error) }
            return false
        }
    }

    /// Replaces a response whose fields would corrupt the message (CR, LF or
    /// NUL in a value, an invalid name) with a 500, and drops framing fields
    /// that the server sets itself.
    private func validated(_ response: Response) -> Response {
        var managedFieldSeen = false
        for field in response.headers {
            guard ResponseSerializer.isValid(field) else {
                shared.logger.error("response has an invalid header field", metadata: ["field.name": "\(describeBytes(field.name.utf8))"])
                return HTTPError(.internalServerError).response
            }
            managedFieldSeen = managedFieldSeen || ResponseSerializer.isManagedByServer(field.name)
        }
        guard managedFieldSeen else { return response }
        var response = response
        if response.headers.containsToken("close", in: "Connection") {
            draining = true
        }
        for name in ["Content-Length", "Transfer-Encoding", "Connection", "Date"] {
            response.headers.remove(name)
        }
        return response
    }

    /// Whether the connection stays open after this response (RFC 9112, section 9.3).
    private func shouldKeepAlive(_ head: HTTPRequestHead, _ response: Response, framingKnown: Bool) -> Bool {
        if draining || shared.isDraining || !framingKnown { return false }
        if head.headers.containsToken("close", in: "Connection") { return false }
        if head.version == .http1_0 && !head.headers.containsToken("keep-alive", in: "Connection") { return false }
        guard let exchange else { return false }
        // A client still waiting for 100 Continue will not send its body, so
        // the connection cannot be reused without knowing where it ends.
        if exchange.expectsContinue && !exchange.sentContinue && !exchange.bodyComplete { return false }
        return true
    }

    private func finishResponse(keepAlive: Bool) {
        guard !tcp.isClosed else { return }
        // A client that ended its side during a streamed response sends no
        // further request, and the rest of an unfinished body never comes.
        guard keepAlive && !peerEnded else {
            exchange?.body?.finish(throwing: ConnectionClosedError())
            exchange = nil
            phase = .closing
            tcp.closeAfterFlush(lingering: true)
            return
        }
        exchange?.handlerDone = true
        if exchange?.bodyComplete == true {
            completeExchange()
        } else {
            // The handler did not read the whole body: drop the rest, then go on.
            exchange?.body?.finish(throwing: ConnectionClosedError())
            exchange?.body = nil
            exchange?.discarding = true
            tcp.setReading(true)
            processInput()
        }
    }

    /// Ends the current exchange and starts on the next pipelined request.
    func completeExchange() {
        exchange = nil
        if draining {
            phase = .closing
            tcp.closeAfterFlush(lingering: !parser.isIdle)
            return
        }
        if parser.isIdle {
            phase = .idle
            deadline = loop.now &+ shared.configuration.idleTimeout.nanoseconds
        } else {
            phase = .readingHead
            deadline = loop.now &+ shared.configuration.headerTimeout.nanoseconds
        }
        tcp.setReading(true)
        processInput()
    }
}
