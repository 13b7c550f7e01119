import StratusKit
import Synchronization

/// A StratusKit service for the config center's process tests. It follows
/// the namespace `application`, and `GET /config` returns the release in
/// force and its `greeting`. A release whose `limit` is negative is refused
/// by the change handler, and one whose `limit` is not an integer fails to
/// decode; both leave the previous release in force.
@main
struct ConfigProbe {
    struct ProbeSettings: Decodable, Sendable {
        var greeting: String?
        var limit: Int?
    }

    struct Served: Encodable {
        var release: Int?
        var source: String?
        var greeting: String?
        var limit: Int?
        var changes: Int
    }

    struct NegativeLimit: Error, CustomStringConvertible {
        let limit: Int
        var description: String { "limit \(limit) is negative" }
    }

    static func main() async {
        await ServiceApplication.main(name: "config-probe", version: "0.0.1") { app in
            let config = try app.remoteConfiguration(namespace: "application")
            let changes = Atomic<Int>(0)
            config.onChange(of: "greeting", as: String.self) { _, _ in
                changes.add(1, ordering: .relaxed)
            }
            config.onChange(decoding: ProbeSettings.self) { _, new in
                if let limit = new.limit, limit < 0 {
                    throw NegativeLimit(limit: limit)
                }
            }
            app.router.get("/config") { _, _ in
                let settings = try? config.decode(ProbeSettings.self)
                return try Response.json(Served(
                    release: config.releaseNumber,
                    source: config.source?.rawValue,
                    greeting: settings?.greeting,
                    limit: settings?.limit,
                    changes: changes.load(ordering: .relaxed)
                ))
            }
        }
    }
}
