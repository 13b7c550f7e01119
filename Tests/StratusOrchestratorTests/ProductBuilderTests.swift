import Foundation
import StratusAppSpec
import StratusOrchestrator
import Testing

@Suite struct ProductBuilderTests {
    @Test func firstCompilerErrorPicked() {
        let output = """
            Building for production...
            [1/4] Compiling App main.swift
            /src/Sources/App/main.swift:3:5: error: cannot find 'greet' in scope
            /src/Sources/App/main.swift:4:1: error: expected expression
            error: fatalError
            """
        #expect(ProductBuilder.firstError(in: output) == "/src/Sources/App/main.swift:3:5: error: cannot find 'greet' in scope")
    }

    @Test func driverErrorPickedWithoutCompilerError() {
        let output = "error: no product named 'greeter-apy'\n"
        #expect(ProductBuilder.firstError(in: output) == "error: no product named 'greeter-apy'")
        #expect(ProductBuilder.firstError(in: "Build complete!\n") == nil)
    }

    @Test func failedBuildReportsFirstError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A stand-in for swift that fails the way swift build does.
        let swift = directory.appendingPathComponent("swift").path
        let arguments = directory.appendingPathComponent("arguments").path
        let script = "#!/bin/sh\necho \"$*\" > '\(arguments)'\necho 'Sources/X/main.swift:1:1: error: broken'\necho 'error: fatalError'\nexit 1\n"
        try Data(script.utf8).write(to: URL(fileURLWithPath: swift))
        chmod(swift, 0o755)
        let builder = ProductBuilder(logDirectory: directory.path + "/logs", environment: ["SWIFT": swift])
        var spec = AppSpec(name: "app", services: [ServiceSpec(name: "web", product: "web")])
        spec.build.packagePath = directory.path
        var progress: [String] = []
        do {
            try builder.build(spec) { progress.append($0) }
            Issue.record("a failed build was not reported")
        } catch {
            #expect(error.description == "building web failed: Sources/X/main.swift:1:1: error: broken\nThe full output is in \(directory.path)/logs/build-web.log.")
        }
        #expect(progress == ["building web (swift build -c release --static-swift-stdlib --product web)"])
        let passed = try String(contentsOfFile: arguments, encoding: .utf8)
        #expect(passed == "build -c release --static-swift-stdlib --product web --package-path \(directory.path)\n")
    }
}
