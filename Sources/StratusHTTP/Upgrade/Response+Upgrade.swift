extension Response {
    /// A `101 Switching Protocols` response that hands the connection to
    /// `handler` once the response head is written (RFC 9110, section 7.8).
    ///
    /// `headers` must name the new protocol in `Upgrade`; the server adds
    /// `Connection: Upgrade`. From then on the server reads no more requests
    /// on the connection: `handler` owns it, reads and writes raw bytes, and
    /// the connection closes when `handler` returns. The server switches
    /// only when the request's body was read to its end and the connection
    /// is not closing. Otherwise it closes the connection after the 101 head
    /// without running `handler`, because the bytes that follow could not be
    /// framed.
    ///
    /// The connection no longer counts among the server's open connections,
    /// and the server's timeouts and graceful shutdown no longer apply to it.
    public static func switchingProtocols(
        headers: HTTPFields,
        handler: @escaping @Sendable (UpgradedConnection) async -> Void
    ) -> Response {
        var response = Response(status: .switchingProtocols, headers: headers)
        response.upgradeHandler = handler
        return response
    }
}
