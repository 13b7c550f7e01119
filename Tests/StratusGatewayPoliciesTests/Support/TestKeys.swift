import Foundation
import Glibc
import StratusTestSupport

/// Key pairs that the `openssl` command generates once per test process, in
/// a temporary directory that is removed as soon as the keys are read.
final class TestKeys: Sendable {
    static let shared: TestKeys = {
        do {
            return try TestKeys()
        } catch {
            fatalError("generating test keys with openssl failed: \(error)")
        }
    }()

    let rsa: KeyPair
    let rsaRotated: KeyPair
    let ec256: KeyPair
    let ec384: KeyPair
    /// A 1,024-bit RSA key, which the gateway must reject as too small.
    let rsaSmall: KeyPair

    struct KeyPair: Sendable {
        let privateKeyPEM: [UInt8]
        let publicKeyPEM: [UInt8]
    }

    private init() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rsaOptions = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
        rsa = try Self.generate(in: directory.path, name: "rsa", options: rsaOptions)
        rsaRotated = try Self.generate(in: directory.path, name: "rsa-rotated", options: rsaOptions)
        ec256 = try Self.generate(in: directory.path, name: "ec256", options: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
        ec384 = try Self.generate(in: directory.path, name: "ec384", options: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"])
        rsaSmall = try Self.generate(in: directory.path, name: "rsa-small", options: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"])
    }

    private static func generate(in directory: String, name: String, options: [String]) throws -> KeyPair {
        let privatePath = "\(directory)/\(name).key.pem"
        let publicPath = "\(directory)/\(name).pub.pem"
        try runOpenSSL(["genpkey"] + options + ["-out", privatePath], directory: directory)
        try runOpenSSL(["pkey", "-in", privatePath, "-pubout", "-out", publicPath], directory: directory)
        return KeyPair(privateKeyPEM: try read(privatePath), publicKeyPEM: try read(publicPath))
    }

    /// Runs `openssl` with its output appended to `outputPath` and waits
    /// for it, failing unless it exits with 0.
    static func runOpenSSL(_ arguments: [String], directory: String, outputPath: String? = nil) throws {
        let pid = try ChildProcess.spawn(["/usr/bin/openssl"] + arguments, logPath: outputPath ?? "\(directory)/openssl.log")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw TestKeyError(description: "openssl \(arguments.joined(separator: " ")) failed with wait status \(status)")
        }
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TestKeyError(description: "cannot read \(path)")
        }
        return Array(data)
    }
}

/// A directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "stratus-policies-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to a file of the directory and returns its path.
    func write(_ bytes: [UInt8], name: String) throws -> String {
        let file = "\(path)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func write(_ text: String, name: String) throws -> String {
        try write(Array(text.utf8), name: name)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` with a new temporary directory and removes it afterwards.
func withTemporaryDirectory<Result>(_ body: (TemporaryDirectory) async throws -> Result) async throws -> Result {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    return try await body(directory)
}

struct TestKeyError: Error, CustomStringConvertible {
    let description: String
}
