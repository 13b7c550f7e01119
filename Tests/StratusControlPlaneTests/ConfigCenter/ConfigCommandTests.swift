import Foundation
@testable import StratusControlPlane
import StratusConfig
import StratusTestSupport
import Testing

/// `stratus config` against a control plane: usage errors exit 2 with a
/// message that names the value, failures from the control plane exit 1
/// with its message.
@Suite struct ConfigCommandTests {
    private func run(_ arguments: [String], environment: [String: String] = ["USER": "cli-user"]) async throws -> (status: Int32, output: String, errors: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-config-cli-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let process = try ProbeProcess("stratus", ["config"] + arguments, logPath: log, environment: environment)
        let reader = LineReader(process.output)
        var output: [String] = []
        while let line = await reader.nextLine() {
            output.append(line)
        }
        let status = process.waitForExit()
        return (status, output.joined(separator: "\n"), (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    @Test(arguments: [
        ([String](), "usage: stratus config"),
        (["launch", "--app", "a"], "unknown command launch"),
        (["get"], "missing --app; give it, such as --app iam-apiserver"),
        (["get", "--app", "Bad_Name"], "invalid application name \"Bad_Name\""),
        (["get", "--app", "a", "--bogus", "1"], "unknown option --bogus"),
        (["get", "--app"], "missing value for --app"),
        (["get", "--app", "a", "--app", "b"], "--app is given twice"),
        (["get", "--app", "a", "--output", "xml"], "invalid --output xml; expected json or table"),
        (["create", "--app", "a"], "missing --format"),
        (["create", "--app", "a", "--format", "toml"], "invalid --format toml"),
        (["set", "--app", "a", "onlykey"], "expected KEY VALUE"),
        (["set", "--app", "a", "--file", "/nonexistent/app.yaml"], "cannot read --file /nonexistent/app.yaml"),
        (["rollback", "--app", "a", "--to", "zero"], "invalid --to zero; expected a whole number from 1"),
        (["gray", "--app", "a"], "missing the gray command"),
        (["gray", "start", "--app", "a"], "gray start needs --labels"),
        (["gray", "start", "--app", "a", "--labels", "track"], "invalid --labels: invalid label \"track\""),
        (["schema", "--app", "a"], "give either --file FILE with a JSON Schema or --remove"),
        (["history", "--app", "a", "extra"], "unexpected argument extra"),
        (["get", "--app", "a", "--controlplane", "ftp://host"], "invalid control-plane endpoint ftp://host"),
    ])
    func usageErrorsExitTwo(arguments: [String], message: String) async throws {
        // A port nothing listens on, so that no argument error can reach a
        // control plane that happens to run on the default port.
        let unused = arguments.contains("--controlplane") || arguments.isEmpty ? [] : ["--controlplane", "http://127.0.0.1:\(try LoopbackPorts.reserve(1)[0])"]
        let (status, _, errors) = try await run(unused + arguments)
        #expect(status == 2, "\(errors)")
        #expect(errors.contains(message), "standard error was: \(errors)")
    }

    @Test func missingAuthorIsAUsageError() async throws {
        let unused = "http://127.0.0.1:\(try LoopbackPorts.reserve(1)[0])"
        let (status, _, errors) = try await run(["publish", "--app", "a", "--controlplane", unused], environment: ["USER": ""])
        #expect(status == 2)
        #expect(errors.contains("missing --author and the USER variable is unset"), "\(errors)")
    }

    @Test func unreachableControlPlaneExitsOne() async throws {
        let port = try LoopbackPorts.reserve(1)[0]
        let (status, _, errors) = try await run(["get", "--app", "a", "--controlplane", "http://127.0.0.1:\(port)"])
        #expect(status == 1)
        #expect(errors.contains("no control-plane endpoint responded"), "\(errors)")
    }

    @Test func editsAndPublishesThroughTheControlPlane() async throws {
        let (controlPlane, url) = try await startConfigControlPlane()
        let common = ["--controlplane", url, "--app", "iam-apiserver"]

        #expect(try await run(["create", "--format", "key-value"] + common).status == 0)
        #expect(try await run(["set", "feature.newCheckout", "true"] + common).status == 0)
        #expect(try await run(["set", "db.password", "hunter2", "--secret"] + common).status == 0)
        let listing = try await run(["get"] + common)
        #expect(listing.output.contains("feature.newCheckout  true"), "\(listing.output)")
        #expect(listing.output.contains("******"))
        #expect(!listing.output.contains("hunter2"))
        #expect(try await run(["get", "feature.newCheckout"] + common).output == "true")
        let publish = try await run(["publish", "--comment", "first", "--output", "json"] + common)
        let release = try ConfigJSON.decode(Release.self, from: Array(publish.output.utf8))
        #expect(release.number == 1)
        #expect(release.author == "cli-user")
        #expect(release.comment == "first")

        #expect(try await run(["set", "feature.newCheckout", "false"] + common).status == 0)
        let diff = try await run(["diff"] + common)
        #expect(diff.output.contains("changed  feature.newCheckout  true  false"), "\(diff.output)")
        #expect(try await run(["publish"] + common).status == 0)
        #expect(try await run(["rollback", "--author", "oncall"] + common).status == 0)
        let history = try await run(["history"] + common)
        #expect(history.output.contains("3        main         rollback  oncall"), "\(history.output)")
        let audit = try await run(["audit", "--limit", "2"] + common)
        #expect(audit.output.contains("rollback"), "\(audit.output)")
        #expect(!audit.output.contains("hunter2"))

        let document = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-cli-\(UUID().uuidString).yaml")
        try "a: 1\n".write(to: document, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: document) }
        let invalid = try await run(["set", "--file", document.path] + common)
        #expect(invalid.status == 1)
        #expect(invalid.errors.contains("holds key-value items, not a document"), "\(invalid.errors)")
        await controlPlane.shutdown()
    }
}
