import CCrypto
import Foundation
import Glibc
import StratusHTTP
import StratusNet
import Synchronization

/// Tokens and digests for the security policy tests, made with libcrypto.
enum TestCredentials {
    /// Returns an HS256 JSON Web Token of `claims` signed with `secret`.
    static func hs256Token(claims: String, secret: [UInt8], kid: String? = nil) -> String {
        let header = kid.map { "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"\($0)\"}" } ?? "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
        let input = base64URL(Array(header.utf8)) + "." + base64URL(Array(claims.utf8))
        var signature = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let data = Array(input.utf8)
        _ = HMAC(EVP_sha256(), secret, Int32(secret.count), data, data.count, &signature, &length)
        return input + "." + base64URL(Array(signature.prefix(Int(length))))
    }

    /// Returns the claims of a token of `issuer` that expires `expiresIn`
    /// seconds from now; negative for an expired token.
    static func claims(issuer: String, subject: String, expiresIn: Int) -> String {
        let now = Int(Date().timeIntervalSince1970)
        return "{\"iss\":\"\(issuer)\",\"sub\":\"\(subject)\",\"iat\":\(now - 60),\"exp\":\(now + expiresIn)}"
    }

    /// Returns the SHA-256 of `text` as 64 lower-case hexadecimal digits.
    static func sha256Hex(_ text: String) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let bytes = Array(text.utf8)
        _ = SHA256(bytes, bytes.count, &digest)
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Returns random bytes for a test secret.
    static func randomBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255) }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// A temporary directory for files a gateway reads, such as key files.
struct TestDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-gateway-keys-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to a file named `name` and returns its path.
    func write(_ bytes: [UInt8], name: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// An upstream in the test process that responds 200 to every request and
/// records the wall-clock time each one arrived, in nanoseconds since the
/// epoch, so that admissions can be counted per rate-limit window.
final class ArrivalRecorder: Sendable {
    let server: HTTPServer
    private let arrivals = Mutex<[UInt64]>([])

    var endpoint: String { "127.0.0.1:\(server.localAddress!.port)" }

    private init(server: HTTPServer) {
        self.server = server
    }

    static func start() async throws -> ArrivalRecorder {
        let box = Mutex<ArrivalRecorder?>(nil)
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: ClosureResponder { _, _ in
            box.withLock { $0 }?.record()
            return Response.text("ok\n")
        }, logger: quietLogger)
        try await server.start()
        let recorder = ArrivalRecorder(server: server)
        box.withLock { $0 = recorder }
        return recorder
    }

    private func record() {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        arrivals.withLock { $0.append(nanoseconds) }
    }

    /// Returns the number of arrivals in each window of `window`
    /// nanoseconds, by window number (time ÷ window).
    func countsPerWindow(_ window: UInt64) -> [UInt64: Int] {
        arrivals.withLock { arrivals in
            var counts: [UInt64: Int] = [:]
            for arrival in arrivals {
                counts[arrival / window, default: 0] += 1
            }
            return counts
        }
    }

    func stop() async {
        await server.shutdown(gracePeriod: .milliseconds(100))
    }
}
