import Foundation
import StratusAppSpec
import StratusTestSupport
import Testing
@testable import StratusKubernetes

enum RenderFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let iamSpec = directory.appendingPathComponent("Fixtures/iam.yaml")
    static let iamGolden = directory.appendingPathComponent("Golden/iam")

    static func loadIAM() throws -> AppSpec {
        try AppSpecLoader.load(path: iamSpec.path).spec
    }

    static func iamOptions() -> RenderOptions {
        var options = RenderOptions(tag: "1.0.0")
        options.imagePrefix = "registry.internal:5000/iam/"
        options.prometheusOperator = true
        return options
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-render-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `files` into `directory` and returns their paths.
    static func write(_ files: [RenderedFile], to directory: URL) throws -> [String] {
        try files.map { file in
            let url = directory.appendingPathComponent(file.name)
            try Data(file.contents.utf8).write(to: url)
            return url.path
        }
    }
}
