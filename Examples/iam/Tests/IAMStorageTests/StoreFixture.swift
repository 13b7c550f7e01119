import Foundation
import IAMModel
import IAMStorage
import StratusTestSupport

/// The storage backends every storage test runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

import Testing

/// One PostgreSQL server for the whole test run; each test gets a database
/// of its own on it.
actor SharedPostgres {
    static let shared = SharedPostgres()
    private var peer: PostgresPeer?

    func url(forNewDatabase name: String) async throws -> String {
        if peer == nil {
            peer = try await PostgresPeer.start()
        }
        try peer!.createDatabase(name)
        return peer!.url(database: name)
    }
}

/// A fresh, migrated store on `backend`, and how to remove it.
struct StoreFixture {
    let store: SQLIAMStore
    let directory: URL?
    /// The SQLite path or the PostgreSQL URL, to open a second connection.
    let location: String
    let backend: Backend

    /// Opens another store (another connection) on the same database.
    func openAnother() async throws -> SQLIAMStore {
        switch backend {
        case .sqlite: try await SQLIAMStore.openSQLite(path: location)
        case .postgres: try await SQLIAMStore.openPostgres(url: location)
        }
    }

    static func open(_ backend: Backend, now: @escaping @Sendable () -> Timestamp = Timestamp.now) async throws -> StoreFixture {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-iam-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("iam.db").path
            let store = try await SQLIAMStore.openSQLite(path: path, now: now)
            return StoreFixture(store: store, directory: directory, location: path, backend: backend)
        case .postgres:
            let name = "iam_" + UUID().uuidString.prefix(8).lowercased()
            let url = try await SharedPostgres.shared.url(forNewDatabase: name)
            let store = try await SQLIAMStore.openPostgres(url: url, now: now)
            return StoreFixture(store: store, directory: nil, location: url, backend: backend)
        }
    }

    func close() async {
        await store.close()
        if let directory {
            try? FileManager.default.removeItem(at: directory)
        }
    }
}

let baseTime = Timestamp(unixSeconds: 1_700_000_000)

func makeUser(_ name: String, at time: Timestamp = baseTime) -> User {
    User(
        metadata: ObjectMeta(name: name, extend: ["team": .string("core")], createdAt: time, updatedAt: time),
        nickname: name.capitalized, passwordHash: "$2b$04$hash", email: "\(name)@example.org", phone: "555", loginedAt: time
    )
}

func makeSecret(_ name: String, owner: String, expires: Int64 = 0, at time: Timestamp = baseTime) -> Secret {
    Secret(
        metadata: ObjectMeta(name: name, createdAt: time, updatedAt: time), username: owner,
        secretID: SecretGenerator.makeSecretID(), secretKey: SecretGenerator.makeSecretKey(), expires: expires, description: "d"
    )
}

func makePolicy(_ name: String, owner: String, at time: Timestamp = baseTime) -> Policy {
    Policy(
        metadata: ObjectMeta(name: name, createdAt: time, updatedAt: time), username: owner,
        policy: LadonPolicy(subjects: ["users:<.*>"], effect: "allow", resources: ["r"], actions: ["read"], conditions: ["ip": .cidr(cidr: "10.0.0.0/8")])
    )
}
