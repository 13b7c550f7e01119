import StratusStore

/// Builds a response object in the gateway's JSON mapping of proto3, as etcd
/// 3.4's gateway writes it: int64 fields as decimal strings, bytes as base64,
/// and fields that hold their zero value (0, empty, false) left out.
struct ResponseObject {
    private var fields: [(name: String, value: JSONValue)] = []

    init() {}

    var value: JSONValue { .object(JSONObject(fields: fields)) }

    /// Adds a field whose value is always written, such as a message field.
    mutating func set(_ name: String, _ value: JSONValue) {
        fields.append((name, value))
    }

    mutating func int64(_ name: String, _ value: Int64) {
        if value != 0 {
            set(name, .string(GatewayJSON.int64(value)))
        }
    }

    mutating func uint64(_ name: String, _ value: UInt64) {
        if value != 0 {
            set(name, .string(String(value)))
        }
    }

    mutating func bytes(_ name: String, _ value: [UInt8]) {
        if !value.isEmpty {
            set(name, .string(GatewayJSON.base64(value)))
        }
    }

    mutating func bool(_ name: String, _ value: Bool) {
        if value {
            set(name, .bool(true))
        }
    }

    mutating func string(_ name: String, _ value: String) {
        if !value.isEmpty {
            set(name, .string(value))
        }
    }

    /// Adds a message field when present.
    mutating func object(_ name: String, _ value: JSONValue?) {
        if let value {
            set(name, value)
        }
    }

    /// Adds a repeated field when it has elements.
    mutating func array(_ name: String, _ values: [JSONValue]) {
        if !values.isEmpty {
            set(name, .array(values))
        }
    }
}
