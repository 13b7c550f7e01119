import StratusLog
import StratusNet

extension HTTPServerConnection {
    /// Writes a 101 response and hands the TCP connection to `handler`, or
    /// closes the connection after the head when the switch is not safe.
    func switchProtocols(
        _ response: Response,
        handler: @escaping @Sendable (UpgradedConnection) async -> Void
    ) {
        var headers = response.headers
        for name in ["Content-Length", "Transfer-Encoding", "Connection", "Date"] {
            headers.remove(name)
        }
        guard headers.allSatisfy(ResponseSerializer.isValid) else {
            shared.logger.error("upgrade response has an invalid header field")
            tcp.close()
            return
        }
        headers.append("Connection", "Upgrade")
        tcp.write(ResponseSerializer.head(
            response.status, headers: headers, framing: .none,
            date: loopState.dateCache.current(), close: false
        ))
        tcp.flush()
        // An unfinished request body, or a client that is going away,
        // leaves bytes of unknown meaning after the head, so the connection
        // cannot switch.
        guard exchange?.bodyComplete == true, !draining, !peerEnded, !inputFailed else {
            phase = .closing
            tcp.closeAfterFlush()
            return
        }
        handOver(to: handler)
    }

    /// Leaves the server's bookkeeping and gives the connection to `handler`.
    private func handOver(to handler: @escaping @Sendable (UpgradedConnection) async -> Void) {
        let upgraded = UpgradedConnection(tcp: tcp, buffered: parser.takeBufferedBytes())
        exchange = nil
        phase = .closing
        loopState.remove(self)
        upgraded.takeOver()
        Task(executorPreference: loop) {
            await handler(upgraded)
            await upgraded.close()
        }
    }
}
