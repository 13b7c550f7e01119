import Foundation
import Glibc
import StratusNet

/// A loopback TCP server on a plain thread that runs `script` for each
/// accepted connection, for peers that misbehave on purpose. A read gives
/// up after 20 s, far longer than a loaded machine stalls a client, so a
/// client that never sends keeps the thread no longer than that.
public final class ScriptedServer: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let thread: Thread

    public init(script: @escaping @Sendable (_ connection: Int32, _ index: Int) -> Void) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var enabled: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &enabled, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            throw SystemError(call: "bind", errno: errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            _ = $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = descriptor
        thread = Thread {
            var index = 0
            while true {
                let connection = accept(descriptor, nil, nil)
                guard connection >= 0 else {
                    close(descriptor)
                    return
                }
                _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
                var timeout = timeval(tv_sec: 20, tv_usec: 0)
                setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                script(connection, index)
                index += 1
            }
        }
        thread.start()
    }

    /// Stops accepting. The thread closes the listener itself once its
    /// `accept` fails, so that the descriptor's number cannot pass to
    /// another socket while the thread may still accept on it.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// Reads one request head (up to the empty line) from `connection`.
    public static func readHead(_ connection: Int32) -> String? {
        read(connection, through: "\r\n\r\n").map { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads one line up to CRLF from `connection` and returns it without
    /// the CRLF, or nil when the peer closed first.
    public static func readLine(_ connection: Int32) -> String? {
        read(connection, through: "\r\n").map { String(decoding: $0.dropLast(2), as: UTF8.self) }
    }

    public static func send(_ connection: Int32, _ text: String) {
        _ = text.withCString { write(connection, $0, strlen($0)) }
    }

    /// Reads byte by byte up to and including `terminator`, or returns nil
    /// when the peer closed first.
    private static func read(_ connection: Int32, through terminator: String) -> [UInt8]? {
        let ending = Array(terminator.utf8)
        var received: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(connection, &byte, 1) == 1 {
            received.append(byte)
            if received.count >= ending.count && received.suffix(ending.count).elementsEqual(ending) {
                return received
            }
        }
        return nil
    }

    /// Reads exactly `count` bytes from `connection`, or nil when the peer
    /// closed first.
    public static func readBytes(_ connection: Int32, count: Int) -> [UInt8]? {
        var received = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let done = received.withUnsafeMutableBytes { Glibc.read(connection, $0.baseAddress! + offset, count - offset) }
            guard done > 0 else { return nil }
            offset += done
        }
        return received
    }
}
