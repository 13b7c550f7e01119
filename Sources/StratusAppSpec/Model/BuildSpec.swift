/// The build of the services that name a package product.
public struct BuildSpec: Sendable, Hashable, Codable {
    public enum Configuration: String, Sendable, Hashable, Codable, CaseIterable {
        case debug, release
    }

    /// The SwiftPM build configuration. Default release.
    public var configuration = Configuration.release
    /// The directory of the Swift package, relative to the app spec's
    /// directory. Default: the nearest directory at or above the app spec
    /// that contains a Package.swift.
    public var packagePath: String?
    /// Whether products link the Swift standard library and Foundation
    /// statically (`--static-swift-stdlib`). A static product runs without
    /// the Swift runtime installed, and it starts faster because the
    /// dynamic loader binds only the system libraries. Default: true for
    /// release, false for debug.
    public var staticSwiftStdlib: Bool

    public init(configuration: Configuration = .release, packagePath: String? = nil, staticSwiftStdlib: Bool? = nil) {
        self.configuration = configuration
        self.packagePath = packagePath
        self.staticSwiftStdlib = staticSwiftStdlib ?? (configuration == .release)
    }

    /// Returns the arguments of `swift build` that build `product`.
    public func swiftBuildArguments(product: String) -> [String] {
        ["build", "-c", configuration.rawValue] + (staticSwiftStdlib ? ["--static-swift-stdlib"] : []) + ["--product", product]
    }

    enum CodingKeys: String, CodingKey {
        case configuration, packagePath, staticSwiftStdlib
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        configuration = try container.specValue(Configuration.self, forKey: .configuration, default: .release)
        packagePath = try container.optionalSpecValue(String.self, forKey: .packagePath)
        staticSwiftStdlib = try container.specValue(Bool.self, forKey: .staticSwiftStdlib, default: configuration == .release)
    }
}
