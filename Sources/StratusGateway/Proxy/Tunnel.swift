import StratusHTTP

/// Copies bytes both ways between a client and an upstream connection
/// after a protocol switch, until either side closes; then closes both.
enum Tunnel {
    static func run(_ client: UpgradedConnection, _ upstream: UpgradedConnection) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await copy(from: client, to: upstream) }
            group.addTask { await copy(from: upstream, to: client) }
            await group.next()
            // One direction ended: closing both ends the other copy.
            await client.close()
            await upstream.close()
            await group.waitForAll()
        }
    }

    private static func copy(from source: UpgradedConnection, to destination: UpgradedConnection) async {
        while true {
            guard let bytes = try? await source.read() else { return }
            do {
                try await destination.write(bytes)
            } catch {
                return
            }
        }
    }
}
