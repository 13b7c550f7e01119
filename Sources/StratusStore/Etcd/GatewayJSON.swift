import Foundation

/// Builds values in the gateway's JSON mapping of protobuf, for the
/// requests of `EtcdStore` and the responses of the control plane's gateway.
package enum GatewayJSON {
    package static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Returns an int64 field value as a string, as the gateway expects.
    package static func int64(_ value: Int64) -> String {
        String(value)
    }

    /// Serializes a request object made of strings, booleans, arrays and
    /// nested objects, which JSONSerialization always accepts.
    static func encode(_ object: [String: Any]) -> [UInt8] {
        do {
            return [UInt8](try JSONSerialization.data(withJSONObject: object))
        } catch {
            preconditionFailure("request object is not valid JSON: \(error)")
        }
    }
}
