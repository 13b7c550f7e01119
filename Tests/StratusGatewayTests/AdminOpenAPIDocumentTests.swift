import Foundation
import StratusHTTP
@testable import StratusGateway
import StratusTelemetry
import StratusTestSupport
import Testing

@Suite struct AdminOpenAPIDocumentTests {
    /// Route templates in OpenAPI's spelling: `:name` becomes `{name}`.
    private func openAPIPath(_ template: String) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    private var documented: Set<String> {
        Set(AdminOpenAPIDocument.operations.map { "\($0.method) \($0.path)" })
    }

    @Test func documentListsEveryRoute() async throws {
        var settings = Gateway.Settings()
        settings.metrics = MetricsRegistry()
        settings.logger = quietLogger
        let runtime = try await GatewayRuntime(settings: settings, yaml: Array("settings: {accessLog: false}".utf8), origin: "test")
        let router = Router()
        AdminAPI(runtime: runtime, token: nil).register(on: router)
        let routes = Set(router.registeredRoutes.map { "\($0.method) \(openAPIPath($0.template))" })
        #expect(routes.subtracting(documented).isEmpty, "routes missing from the document: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented operations without a route: \(documented.subtracting(routes).sorted())")
    }

    @Test(.disabled(if: PythonScript.isMissing, "the Python environment at .build/python is missing; run `make bootstrap`"))
    func documentIsValidOpenAPI() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-gateway-openapi-\(UUID().uuidString).json")
        try AdminOpenAPIDocument.json.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await PythonScript.run("validate_openapi.py", arguments: [file.path])
        #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
    }

    /// The admin API table in docs/gateway.md lists the same operations.
    @Test func guideMatchesDocument() throws {
        let guide = try String(contentsOf: PythonScript.repositoryRoot.appendingPathComponent("docs/gateway.md"), encoding: .utf8)
        var listed = Set<String>()
        for line in guide.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if let first = cells.first, first.hasPrefix("`"), let method = first.dropFirst().split(separator: " ").first,
               ["GET", "POST", "PUT", "DELETE"].contains(String(method)) {
                listed.insert(first.trimmingCharacters(in: CharacterSet(charactersIn: "`")))
            }
        }
        #expect(listed == documented, "docs/gateway.md lists \(listed.sorted()); the document has \(documented.sorted())")
    }
}
