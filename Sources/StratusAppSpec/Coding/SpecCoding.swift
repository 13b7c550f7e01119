public import Foundation

/// The JSON wire format of app specs, which the control plane's apps API
/// and the store use: the same fields as the YAML file, with durations as
/// numbers of seconds.
public enum SpecCoding {
    static let wireFormatKey = CodingUserInfoKey(rawValue: "stratus.appspec.wire")!

    /// Returns an encoder that writes the wire format, keys sorted.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.userInfo[wireFormatKey] = true
        return encoder
    }

    /// Returns a decoder that reads the wire format.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.userInfo[wireFormatKey] = true
        return decoder
    }

    public static func isWireFormat(_ userInfo: [CodingUserInfoKey: Any]) -> Bool {
        userInfo[wireFormatKey] as? Bool == true
    }

    /// Returns `duration` in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
