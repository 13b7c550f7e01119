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

    public init(configuration: Configuration = .release, packagePath: String? = nil) {
        self.configuration = configuration
        self.packagePath = packagePath
    }

    enum CodingKeys: String, CodingKey {
        case configuration, packagePath
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        configuration = try container.specValue(Configuration.self, forKey: .configuration, default: .release)
        packagePath = try container.optionalSpecValue(String.self, forKey: .packagePath)
    }
}
