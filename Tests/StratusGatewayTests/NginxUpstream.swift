import Foundation
import Glibc
import StratusHTTP
import StratusTestSupport

/// nginx from Debian as an upstream, serving `locations` on a free
/// loopback port from a temporary prefix.
final class NginxUpstream: Sendable {
    let port: Int
    let pid: pid_t
    let directory: String

    static var executable: String? {
        ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var isMissing: Bool { executable == nil }

    init(locations: String) async throws {
        guard let executable = Self.executable else { throw GatewayTestError(description: "nginx is not installed; run make bootstrap") }
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(probe, $0, &length) } }
        close(probe)
        port = Int(UInt16(bigEndian: address.sin_port))
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-gateway-nginx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let configuration = """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path \(directory)/body;
                proxy_temp_path \(directory)/proxy;
                fastcgi_temp_path \(directory)/fastcgi;
                uwsgi_temp_path \(directory)/uwsgi;
                scgi_temp_path \(directory)/scgi;
                server {
                    listen 127.0.0.1:\(port);
                    \(locations)
                }
            }
            """
        try configuration.write(toFile: "\(directory)/nginx.conf", atomically: true, encoding: .utf8)
        pid = try ChildProcess.spawn([executable, "-p", directory, "-c", "\(directory)/nginx.conf"], logPath: "\(directory)/stdout.log")
        let client = HTTPClient()
        defer { client.shutdown() }
        for _ in 0..<500 {
            if (try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), collectingUpTo: 1 << 20)) != nil { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        stop()
        throw GatewayTestError(description: "nginx did not start on port \(port)")
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
