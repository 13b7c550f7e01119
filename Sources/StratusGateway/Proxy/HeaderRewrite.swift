import StratusHTTP

/// A route's header changes, validated when the route is compiled so that
/// applying them cannot fail.
struct HeaderRewrite: Sendable {
    let remove: [String]
    let set: [(name: String, value: String)]
    let add: [(name: String, value: String)]

    var isEmpty: Bool { remove.isEmpty && set.isEmpty && add.isEmpty }

    init(_ configuration: HeaderRewriteConfiguration, field: String) throws(RouteCompileError) {
        for name in configuration.remove + Array(configuration.set.keys) + Array(configuration.add.keys) where !Self.isToken(name) {
            throw RouteCompileError(field: field, "invalid header name \"\(name)\": expected a token such as X-Team")
        }
        for (name, value) in configuration.set.merging(configuration.add, uniquingKeysWith: { first, _ in first })
        where value.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }) {
            throw RouteCompileError(field: field, "invalid value for header \(name): control characters such as CR and LF are not allowed")
        }
        remove = configuration.remove
        set = configuration.set.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        add = configuration.add.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func apply(to headers: inout HTTPFields) {
        for name in remove {
            headers.remove(name)
        }
        for (name, value) in set {
            headers.set(name, value)
        }
        for (name, value) in add {
            headers.append(name, value)
        }
    }

    /// tchar (RFC 9110, section 5.6.2).
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
