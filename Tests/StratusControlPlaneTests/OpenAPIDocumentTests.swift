import Foundation
import StratusHTTP
@testable import StratusControlPlane
import StratusTestSupport
import Testing

@Suite struct OpenAPIDocumentTests {
    /// The operations of the document, as "METHOD path".
    private func documentedOperations(_ document: [String: Any]) throws -> Set<String> {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        return Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
    }

    /// Route templates in OpenAPI's spelling: `:name` becomes `{name}`.
    private func openAPIPath(_ template: String) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    @Test func documentListsEveryRoute() async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        let client = HTTPClient()
        let (response, body) = try await client.execute(HTTPClientRequest(url: url + "/openapi.json"), collectingUpTo: 1 << 20)
        #expect(response.status == .ok)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let routes = Set(controlPlane.routes.map { "\($0.method) \(openAPIPath($0.template))" })
        let documented = try documentedOperations(document)
        #expect(routes.subtracting(documented).isEmpty, "routes missing from /openapi.json: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented operations without a route: \(documented.subtracting(routes).sorted())")
        client.shutdown()
        await controlPlane.shutdown()
    }

    @Test(.disabled(if: PythonScript.isMissing, "the Python environment at .build/python is missing; run `make bootstrap`"))
    func documentIsValidOpenAPI() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-openapi-\(UUID().uuidString).json")
        try OpenAPIDocument.json.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await PythonScript.run("validate_openapi.py", arguments: [file.path])
        #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
    }

    /// Returns the operations a guide's API tables list: first cells such
    /// as `` `GET /api/v1/services` ``.
    private func listedOperations(in guide: String) throws -> Set<String> {
        let text = try String(contentsOf: PythonScript.repositoryRoot.appendingPathComponent(guide), encoding: .utf8)
        var listed = Set<String>()
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if let first = cells.first, first.hasPrefix("`"), first.contains(" /api/v1") {
                listed.insert(first.trimmingCharacters(in: CharacterSet(charactersIn: "`")))
            }
        }
        return listed
    }

    private func documented(_ include: (String) -> Bool) -> Set<String> {
        Set(OpenAPIDocument.operations.filter { include($0.path) }.map { "\($0.method) \($0.path)" })
    }

    /// The API reference in docs/service-center.md lists the same registry
    /// operations as the document.
    @Test func guideMatchesDocument() throws {
        let registry = documented {
            $0.hasPrefix("/api/v1") && !$0.hasPrefix("/api/v1/events") && !$0.hasPrefix("/api/v1/apps") && !$0.hasPrefix("/api/v1/config")
        }
        #expect(try listedOperations(in: "docs/service-center.md") == registry)
    }

    /// The API table in docs/config-center.md lists the same config-center
    /// operations as the document.
    @Test func configGuideMatchesDocument() throws {
        let config = documented { $0.hasPrefix("/api/v1/config/") }
        let listed = try listedOperations(in: "docs/config-center.md")
        #expect(listed.subtracting(config).isEmpty, "in docs/config-center.md but not in /openapi.json: \(listed.subtracting(config).sorted())")
        #expect(config.subtracting(listed).isEmpty, "in /openapi.json but not in docs/config-center.md: \(config.subtracting(listed).sorted())")
    }

    /// docs/orchestrator.md lists the same apps operations as the document.
    @Test func orchestratorGuideMatchesDocument() throws {
        let apps = documented { $0.hasPrefix("/api/v1/apps") }
        #expect(apps.count == 7)
        #expect(try listedOperations(in: "docs/orchestrator.md") == apps)
    }

    /// The API table in docs/events.md lists the same event-broker
    /// operations as the document.
    @Test func eventsGuideMatchesDocument() throws {
        let events = documented { $0.hasPrefix("/api/v1/events") }
        #expect(events.count == 7)
        #expect(try listedOperations(in: "docs/events.md") == events)
    }
}
