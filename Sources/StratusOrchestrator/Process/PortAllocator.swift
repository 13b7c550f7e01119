import Glibc

/// Picks free loopback ports for replicas: binds port 0, reads the port the
/// kernel chose and closes the socket.
///
/// NOTE: another process may take the port between the close and the
/// replica's bind. The replica then fails to start and is restarted with
/// another port.
enum PortAllocator {
    static func freePort() throws(OrchestratorError) -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else {
            throw OrchestratorError("cannot open a socket to pick a port: \(String(cString: strerror(errno)))")
        }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        guard bound == 0 else {
            throw OrchestratorError("cannot bind 127.0.0.1:0 to pick a port: \(String(cString: strerror(errno)))")
        }
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard named == 0 else {
            throw OrchestratorError("cannot read the picked port: \(String(cString: strerror(errno)))")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
