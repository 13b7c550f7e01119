import Foundation
import StratusAppSpec
import Testing

@Suite struct AppSpecPathTests {
    @Test func relativePathsResolveAgainstSpec() throws {
        let files = try SpecFiles()
        try Data("// swift-tools-version:6.0\n".utf8).write(to: files.directory.appendingPathComponent("Package.swift"))
        try FileManager.default.createDirectory(at: files.directory.appendingPathComponent("app"), withIntermediateDirectories: true)
        let path = try files.write("""
            name: app
            services:
              - name: web
                command: ./bin/web
                workingDirectory: data
              - name: worker
                command: sleep
              - name: api
                product: api
            """, to: "app/stratus.yaml")
        let spec = try AppSpecLoader.load(path: path).resolvingPaths()
        let base = files.directory.standardizedFileURL.path
        #expect(spec.services[0].command == "\(base)/app/bin/web")
        #expect(spec.services[0].workingDirectory == "\(base)/app/data")
        #expect(spec.services[1].command == "sleep")
        #expect(spec.services[1].workingDirectory == "\(base)/app")
        #expect(spec.build.packagePath == base)
    }
}
