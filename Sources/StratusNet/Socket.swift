import CStratusLinux
import Glibc

/// A non-blocking TCP socket descriptor.
///
/// A value type around the descriptor: copying it does not duplicate the
/// descriptor, and exactly one owner must call `close()`.
public struct Socket: Sendable, Hashable {
    public let descriptor: Int32

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Opens a listening socket on `address`.
    ///
    /// With `reusePort`, several sockets may listen on one port and the kernel
    /// spreads new connections over them (SO_REUSEPORT), which is how each event
    /// loop gets its own accept queue.
    public static func listen(on address: SocketAddress, backlog: Int32 = 1024, reusePort: Bool = false) throws(SystemError) -> Socket {
        let socket = try open(family: address.family)
        do {
            try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1)
            if reusePort {
                try socket.setOption(SOL_SOCKET, SO_REUSEPORT, 1)
            }
            _ = try address.withSockAddr { pointer, length throws(SystemError) in
                try System.blockingCall("bind(\(address))") { Glibc.bind(socket.descriptor, pointer, length) }
            }
            try System.blockingCall("listen(\(address))") { Glibc.listen(socket.descriptor, backlog) }
            return socket
        } catch {
            socket.close()
            throw error
        }
    }

    /// Starts connecting to `address`; returns the socket and whether it is
    /// already connected. When not, wait for writability and check `pendingError()`.
    public static func connect(to address: SocketAddress) throws(SystemError) -> (Socket, connected: Bool) {
        let socket = try open(family: address.family)
        do throws(SystemError) {
            try socket.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let result = try address.withSockAddr { pointer, length throws(SystemError) -> Bool in
                while true {
                    if Glibc.connect(socket.descriptor, pointer, length) == 0 {
                        return true
                    }
                    switch Glibc.errno {
                    case EINTR: continue
                    case EINPROGRESS: return false
                    case let code: throw SystemError(call: "connect(\(address))", errno: code)
                    }
                }
            }
            return (socket, result)
        } catch {
            socket.close()
            throw error
        }
    }

    private static func open(family: Int32) throws(SystemError) -> Socket {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = try System.blockingCall("socket") { Glibc.socket(family, type, 0) }
        return Socket(descriptor: descriptor)
    }

    /// Accepts one pending connection as a non-blocking socket with TCP_NODELAY set.
    public func accept() throws(SystemError) -> IOResult<Socket> {
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let result = try System.call("accept4(fd \(descriptor))") { cstratus_accept4(descriptor, flags) }
        guard case .processed(let accepted) = result else { return .wouldBlock }
        let socket = Socket(descriptor: accepted)
        // Responses are written whole by writev, so Nagle's delay would only add latency.
        try? socket.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        return .processed(socket)
    }

    /// Reads into `buffer`; `.processed(0)` means the peer closed its side.
    @inline(__always)
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try System.call("read(fd \(descriptor))") { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
    }

    @inline(__always)
    public func write(_ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        // MSG_NOSIGNAL: a write to a reset connection returns EPIPE instead of killing the process.
        try System.call("send(fd \(descriptor))") {
            send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
        }
    }

    /// Writes several buffers in one call. Uses sendmsg rather than writev so
    /// that MSG_NOSIGNAL applies.
    @inline(__always)
    func writev(_ vectors: UnsafeMutableBufferPointer<iovec>) throws(SystemError) -> IOResult<Int> {
        var message = msghdr()
        message.msg_iov = vectors.baseAddress
        message.msg_iovlen = vectors.count
        return try System.call("sendmsg(fd \(descriptor))") { sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL)) }
    }

    public func setOption(_ level: Int32, _ name: Int32, _ value: Int32) throws(SystemError) {
        var value = value
        try System.blockingCall("setsockopt(fd \(descriptor), \(name))") {
            setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Returns the error of a pending non-blocking connect (SO_ERROR), or nil on success.
    public func pendingError() -> SystemError? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else {
            return SystemError(call: "getsockopt(SO_ERROR)", errno: Glibc.errno)
        }
        return value == 0 ? nil : SystemError(call: "connect", errno: value)
    }

    public func localAddress() throws(SystemError) -> SocketAddress? {
        try address(call: "getsockname") { pointer, length in getsockname(descriptor, pointer, length) }
    }

    public func remoteAddress() throws(SystemError) -> SocketAddress? {
        try address(call: "getpeername") { pointer, length in getpeername(descriptor, pointer, length) }
    }

    private func address(
        call: String,
        _ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) throws(SystemError) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw throws(SystemError) in
                _ = try System.blockingCall("\(call)(fd \(descriptor))") { body(raw, &length) }
            }
        }
        return SocketAddress(storage: storage)
    }

    /// Half-closes the connection: the peer reads end-of-stream, reading continues.
    public func shutdownWrite() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
    }

    public func close() {
        System.close(descriptor)
    }
}
