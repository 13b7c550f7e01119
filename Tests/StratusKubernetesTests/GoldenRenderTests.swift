import Foundation
import StratusTestSupport
import Testing
@testable import StratusKubernetes

/// The IAM example's rendering, byte for byte. Set STRATUS_UPDATE_GOLDEN=1
/// to rewrite the golden files after an intended change, and review the diff.
@Suite struct GoldenRenderTests {
    @Test func iamMatchesGoldenFiles() throws {
        let files = try KubernetesRenderer.render(try RenderFixtures.loadIAM(), options: RenderFixtures.iamOptions())
        let golden = RenderFixtures.iamGolden
        if ProcessInfo.processInfo.environment["STRATUS_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(at: golden)
            try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
            _ = try RenderFixtures.write(files, to: golden)
        }
        let expected = try FileManager.default.contentsOfDirectory(atPath: golden.path).sorted()
        #expect(files.map(\.name).sorted() == expected)
        for file in files {
            let stored = try String(contentsOf: golden.appendingPathComponent(file.name), encoding: .utf8)
            #expect(file.contents == stored, "\(file.name) differs from its golden file; run with STRATUS_UPDATE_GOLDEN=1 and review the diff")
        }
    }

    @Test func renderingIsDeterministic() throws {
        let spec = try RenderFixtures.loadIAM()
        let first = try KubernetesRenderer.render(spec, options: RenderFixtures.iamOptions())
        let second = try KubernetesRenderer.render(spec, options: RenderFixtures.iamOptions())
        #expect(first == second)
    }

    @Test func manifestsPassStrictValidation() async throws {
        try #require(!PythonScript.isMissing, "the test Python environment is missing; run make bootstrap")
        let directory = try RenderFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try KubernetesRenderer.render(try RenderFixtures.loadIAM(), options: RenderFixtures.iamOptions())
        let paths = try RenderFixtures.write(files.filter { $0.name != "kustomization.yaml" && !$0.name.hasPrefix("prometheus") && !$0.name.hasPrefix("servicemonitors") }, to: directory)
        let output = try await PythonScript.run("check_kubernetes.py", arguments: ["manifests", "1.37.0,1.36.0,1.35.0"] + paths)
        #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
    }

    @Test func dockerfilePassesHadolint() async throws {
        try #require(!PythonScript.isMissing, "the test Python environment is missing; run make bootstrap")
        let directory = try RenderFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Dockerfile")
        try Data(DockerfileRenderer.render(try RenderFixtures.loadIAM()).utf8).write(to: path)
        let output = try await PythonScript.run("check_kubernetes.py", arguments: ["dockerfile", path.path])
        #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
    }
}
