import Foundation
public import StratusAppSpec

/// Builds the package products an app runs with `swift build -c CONFIG
/// [--static-swift-stdlib] --product NAME`, one product at a time, each
/// build's output in a log file.
public struct ProductBuilder: Sendable {
    /// The `swift` program: `SWIFT` from the environment, else `swift` on
    /// PATH, else /opt/swift/usr/bin/swift.
    public var swift: String
    public var logDirectory: String

    public init(logDirectory: String, environment: [String: String] = [:]) {
        self.logDirectory = logDirectory
        swift = environment["SWIFT"] ?? Self.findSwift(path: environment["PATH"] ?? "")
    }

    /// Builds every product the spec names, in the order written.
    /// - Throws: `OrchestratorError` with the compiler's first error and the
    ///   log file of the failed build.
    public func build(_ spec: AppSpec, progress: (String) -> Void) throws(OrchestratorError) {
        var products: [String] = []
        for product in spec.services.compactMap(\.product) where !products.contains(product) {
            products.append(product)
        }
        let package = spec.build.packagePath ?? FileManager.default.currentDirectoryPath
        for product in products {
            let arguments = spec.build.swiftBuildArguments(product: product)
            progress("building \(product) (swift \(arguments.joined(separator: " ")))")
            try build(product, arguments: arguments + ["--package-path", package])
        }
    }

    private func build(_ product: String, arguments: [String]) throws(OrchestratorError) {
        try? FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let logPath = "\(logDirectory)/build-\(product).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: swift)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        do {
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.standardOutput = log
            process.standardError = log
            try process.run()
            process.waitUntilExit()
            try? log.close()
        } catch {
            throw OrchestratorError("cannot run \(swift) to build \(product): \(error); set SWIFT to the swift program")
        }
        guard process.terminationStatus == 0 else {
            let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            let first = Self.firstError(in: output) ?? "swift build exited with status \(process.terminationStatus)"
            throw OrchestratorError("building \(product) failed: \(first)\nThe full output is in \(logPath).")
        }
    }

    /// Returns the first line that reports an error, such as
    /// `Sources/App/main.swift:3:5: error: cannot find 'x' in scope`.
    public static func firstError(in output: String) -> String? {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.first { $0.contains(": error: ") } ?? lines.first { $0.hasPrefix("error: ") }
    }

    private static func findSwift(path: String) -> String {
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/swift") {
            return "\(directory)/swift"
        }
        return "/opt/swift/usr/bin/swift"
    }
}
