import Foundation
public import IAMModel

/// The `storage` section of the services that use the IAM storage.
///
/// ```yaml
/// storage:
///   driver: sqlite            # or postgres
///   path: .stratus/iam.db     # sqlite
///   url: postgresql://iam@127.0.0.1:5432/iam   # postgres
/// ```
public struct StorageSettings: Decodable, Sendable {
    public enum Driver: String, Decodable, Sendable {
        case sqlite, postgres
    }

    public var driver: Driver = .sqlite
    /// The SQLite file; its directory is created when missing.
    public var path: String = ".stratus/iam.db"
    /// The libpq connection string for `postgres`.
    public var url: String = ""

    public init() {}

    enum CodingKeys: String, CodingKey {
        case driver, path, url
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        driver = try container.decodeIfPresent(Driver.self, forKey: .driver) ?? .sqlite
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? ".stratus/iam.db"
        url = try container.decodeIfPresent(String.self, forKey: .url) ?? ""
    }
}


extension SQLIAMStore {
    /// Opens the configured storage, creating the SQLite file's directory,
    /// and migrates it.
    public static func open(_ settings: StorageSettings, now: @escaping @Sendable () -> Timestamp = Timestamp.now) async throws -> SQLIAMStore {
        switch settings.driver {
        case .sqlite:
            let directory = URL(fileURLWithPath: settings.path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return try await openSQLite(path: settings.path, now: now)
        case .postgres:
            guard !settings.url.isEmpty else {
                throw StorageError(.unavailable, "storage.url is empty; set a libpq URL such as postgresql://iam@127.0.0.1:5432/iam for the postgres driver")
            }
            return try await openPostgres(url: settings.url, now: now)
        }
    }
}
