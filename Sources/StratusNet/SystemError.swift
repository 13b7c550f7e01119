import Glibc

/// A failed system call: the call's name and the `errno` it set.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name of the call, with the descriptor or address when it helps (`bind(127.0.0.1:80)`).
    public var call: String
    public var errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    public var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// The outcome of a non-blocking call that may have nothing to do yet.
@frozen
public enum IOResult<Value> {
    case processed(Value)
    /// The call returned EAGAIN or EWOULDBLOCK: wait for readiness and retry.
    case wouldBlock
}

extension IOResult: Sendable where Value: Sendable {}
