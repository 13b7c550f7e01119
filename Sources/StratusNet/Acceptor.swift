/// A listening socket registered with one event loop that accepts new
/// connections in batches and hands each to `onAccept` on the loop thread.
///
/// Thread safety: loop thread only, like `TCPConnection`.
package final class Acceptor: Selectable, @unchecked Sendable {
    package let socket: Socket
    package let loop: EventLoop
    /// Connections accepted per readiness event at most, so a connection storm
    /// cannot starve the established connections on the loop.
    private let batchSize: Int
    private let onAccept: (Socket) -> Void
    private let onError: (SystemError) -> Void
    private var paused = false
    private var closed = false

    package init(
        socket: Socket,
        loop: EventLoop,
        batchSize: Int = 64,
        onAccept: @escaping (Socket) -> Void,
        onError: @escaping (SystemError) -> Void
    ) {
        self.socket = socket
        self.loop = loop
        self.batchSize = batchSize
        self.onAccept = onAccept
        self.onError = onError
    }

    package func start() throws(SystemError) {
        try loop.register(socket.descriptor, interest: .readable, handler: self)
    }

    package func handleEvents(_ events: EventMask) {
        accept(upTo: batchSize, whilePaused: false)
    }

    /// Accepts up to `limit` queued connections and hands each to `onAccept`.
    private func accept(upTo limit: Int, whilePaused: Bool) {
        for _ in 0..<limit {
            guard whilePaused || !paused, !closed else { return }
            do {
                switch try socket.accept() {
                case .processed(let accepted):
                    onAccept(accepted)
                case .wouldBlock:
                    return
                }
            } catch {
                // EMFILE, ENFILE, ENOBUFS: the connection stays queued in the kernel.
                // Report it and try again on the next readiness event.
                onError(error)
                return
            }
        }
    }

    /// Stops accepting while the server is at its connection limit; new
    /// connections wait in the kernel's backlog.
    package func setPaused(_ paused: Bool) {
        guard paused != self.paused, !closed else { return }
        self.paused = paused
        loop.modify(socket.descriptor, interest: paused ? [] : .readable)
    }

    /// Accepts every connection already queued in the kernel, at most
    /// `limit`, even while paused. Closing a listening socket resets the
    /// connections in its queue, whose clients may already have sent a
    /// request, so a server that stops calls this before `close()`.
    package func acceptQueued(limit: Int = 65_536) {
        accept(upTo: limit, whilePaused: true)
    }

    package func close() {
        guard !closed else { return }
        closed = true
        loop.deregister(socket.descriptor)
        socket.close()
    }
}
