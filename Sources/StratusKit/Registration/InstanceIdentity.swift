import Glibc

/// The default id an instance registers with.
enum InstanceIdentity {
    /// The variable an orchestrator sets to name the instance.
    static let variable = "STRATUS_INSTANCE_ID"

    /// `STRATUS_INSTANCE_ID` when set, otherwise the host name and the
    /// process id (`web-1-4242`), unique among the processes of one host.
    static func defaultID() -> String {
        if let value = getenv(variable), value.pointee != 0 {
            return String(cString: value)
        }
        var buffer = [UInt8](repeating: 0, count: 256)
        let named = buffer.withUnsafeMutableBufferPointer { gethostname($0.baseAddress!, $0.count - 1) } == 0
        let host = named ? String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self) : "localhost"
        let cleaned = String(host.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" }.prefix(100))
        return "\(cleaned)-\(getpid())"
    }
}
