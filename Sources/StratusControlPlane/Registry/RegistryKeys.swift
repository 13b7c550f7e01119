/// The registry's key layout in the store:
/// `/stratus/registry/instances/<service>/<id>`, the instance as JSON,
/// attached to the instance's lease.
enum RegistryKeys {
    static let root = "/stratus/registry/instances/"

    static func instance(service: String, id: String) -> String {
        root + service + "/" + id
    }

    static func service(_ service: String) -> String {
        root + service + "/"
    }

    /// Returns the service and id a key names, nil for a key outside the registry.
    static func parse(_ key: [UInt8]) -> (service: String, id: String)? {
        let text = String(decoding: key, as: UTF8.self)
        guard text.hasPrefix(root) else { return nil }
        let parts = text.dropFirst(root.count).split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
