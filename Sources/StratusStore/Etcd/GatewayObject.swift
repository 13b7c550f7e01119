import Foundation

/// A JSON object from etcd's gRPC gateway, read with the gateway's mapping of
/// protobuf to JSON. Int64 fields are strings and bytes fields are base64.
/// Field names are the proto names (`create_revision`, `TTL`), and an
/// omitted field is zero, empty or false.
struct GatewayObject {
    let fields: [String: Any]

    init(fields: [String: Any]) {
        self.fields = fields
    }

    /// Parses one JSON object, or throws `unavailable` naming the text, because
    /// a member that sends something else is not a working etcd gateway.
    init(parsing bytes: some Collection<UInt8>) throws(StoreError) {
        let data = Data(bytes)
        guard let parsed = try? JSONSerialization.jsonObject(with: data), let fields = parsed as? [String: Any] else {
            let text = String(decoding: data.prefix(200), as: UTF8.self)
            throw StoreError(.unavailable, "invalid JSON from the etcd gateway: \(text); check that the endpoint is an etcd v3 client URL")
        }
        self.fields = fields
    }

    func object(_ name: String) -> GatewayObject? {
        (fields[name] as? [String: Any]).map(GatewayObject.init(fields:))
    }

    func objects(_ name: String) -> [GatewayObject] {
        (fields[name] as? [[String: Any]] ?? []).map(GatewayObject.init(fields:))
    }

    func bool(_ name: String) -> Bool {
        fields[name] as? Bool ?? false
    }

    func string(_ name: String) -> String? {
        fields[name] as? String
    }

    /// Reads an int64 field, sent as a decimal string. A plain JSON number is
    /// accepted too, because int32 fields such as `code` arrive that way.
    func int64(_ name: String) throws(StoreError) -> Int64 {
        switch fields[name] {
        case nil:
            return 0
        case let text as String:
            guard let value = Int64(text) else { throw malformed(name, text) }
            return value
        case let number as Int:
            return Int64(number)
        case let other?:
            throw malformed(name, other)
        }
    }

    /// Reads a bytes field, sent as base64.
    func bytes(_ name: String) throws(StoreError) -> [UInt8] {
        guard let text = fields[name] as? String else { return [] }
        return try Self.decodeBase64(text, field: name)
    }

    /// Reads a repeated bytes field, such as the `keys` of a lease.
    func byteStrings(_ name: String) throws(StoreError) -> [[UInt8]] {
        var result: [[UInt8]] = []
        for text in fields[name] as? [String] ?? [] {
            result.append(try Self.decodeBase64(text, field: name))
        }
        return result
    }

    /// Reads the revision in the response's `header`.
    func headerRevision() throws(StoreError) -> Int64 {
        try object("header")?.int64("revision") ?? 0
    }

    private static func decodeBase64(_ text: String, field: String) throws(StoreError) -> [UInt8] {
        guard let data = Data(base64Encoded: text) else {
            throw StoreError(.unavailable, "invalid base64 in field \(field) from the etcd gateway: \(text.prefix(80))")
        }
        return [UInt8](data)
    }

    private func malformed(_ name: String, _ value: Any) -> StoreError {
        StoreError(.unavailable, "invalid int64 in field \(name) from the etcd gateway: \(value)")
    }
}
