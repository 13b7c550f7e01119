import Foundation
import StratusTestSupport
import Testing

/// `stratus render` as a user runs it: a bad app spec or bad option writes
/// nothing and says what to fix.
@Suite struct RenderCommandTests {
    /// Runs `stratus` with `arguments` and returns its exit status and
    /// standard error.
    static func stratus(_ arguments: [String], in directory: URL) async throws -> (Int32, String) {
        let log = directory.appendingPathComponent("stderr.log")
        let process = try ProbeProcess("stratus", arguments, logPath: log.path)
        let status = await process.exitStatus()
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    static let badSpecs: [(String, String, [String])] = [
        ("unknown field", "name: shop\nservices:\n  - name: cart\n    product: cart\n    replcas: 2\n", ["spec.yaml:5", "replcas", "did you mean"]),
        ("negative replicas", "name: shop\nservices:\n  - name: cart\n    product: cart\n    replicas: -1\n", ["spec.yaml:5", "services[0].replicas"]),
        ("health path", "name: shop\nservices:\n  - name: cart\n    product: cart\n    health:\n      readinessPath: readyz\n", ["spec.yaml:6", "services[0].health.readinessPath"]),
        ("autoscale bounds", "name: shop\nservices:\n  - name: cart\n    product: cart\n    autoscale: {min: 5, max: 2}\n", ["spec.yaml:5", "services[0].autoscale"]),
    ]

    @Test(arguments: badSpecs.map(\.0))
    func badSpecWritesNothing(_ name: String) async throws {
        let (_, yaml, expected) = try #require(Self.badSpecs.first { $0.0 == name })
        let directory = try RenderFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("spec.yaml")
        try Data(yaml.utf8).write(to: spec)
        let out = directory.appendingPathComponent("out")
        let (status, output) = try await Self.stratus(["render", "kubernetes", "-f", spec.path, "--tag", "1.0.0", "--out", out.path], in: directory)
        #expect(status == 1, "\(output)")
        for fragment in expected {
            #expect(output.contains(fragment), "missing \"\(fragment)\" in: \(output)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func literalSecretWritesNothing() async throws {
        let directory = try RenderFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("spec.yaml")
        try Data("name: shop\nservices:\n  - name: cart\n    product: cart\n    environment:\n      DB_PASSWORD: hunter2\n".utf8).write(to: spec)
        let out = directory.appendingPathComponent("out")
        let (status, output) = try await Self.stratus(["render", "kubernetes", "-f", spec.path, "--tag", "1.0.0", "--out", out.path], in: directory)
        #expect(status == 1)
        #expect(output.contains("services[0].environment.DB_PASSWORD"))
        #expect(!output.contains("hunter2"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func writesFilesAndKustomization() async throws {
        let directory = try RenderFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out")
        let (status, output) = try await Self.stratus(
            ["render", "kubernetes", "-f", RenderFixtures.iamSpec.path, "--tag", "1.0.0", "--out", out.path], in: directory
        )
        #expect(status == 0, "\(output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files.contains("kustomization.yaml"))
        #expect(files.contains("deployments.yaml"))
    }

    @Test(arguments: [
        (["render", "kubernetes", "--tag"], "stratus render kubernetes: missing value for --tag"),
        (["render", "kubernetes", "--replicas", "3"], "stratus render kubernetes: unknown option --replicas"),
        (["render", "kubernetes"], "stratus render kubernetes: missing --tag; give the image tag to deploy, such as --tag 1.4.2"),
        (["render", "helm"], "stratus render: expected kubernetes or dockerfile"),
    ])
    func badOptionIsUsageError(arguments: [String], message: String) async throws {
        let directory = try RenderFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (status, output) = try await Self.stratus(arguments, in: directory)
        #expect(status == 2)
        #expect(output.hasPrefix(message), "\(output)")
    }
}
