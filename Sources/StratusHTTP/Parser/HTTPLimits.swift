/// Size limits for parsing a request. Every limit rejects the request with the
/// status in its description and closes the connection.
public struct HTTPLimits: Sendable, Hashable {
    /// Maximum request target length, in bytes (414 URI Too Long). Default 8 KiB, as
    /// RFC 9112, section 3, recommends supporting at least.
    public var maxTargetLength = 8 * 1024
    /// Maximum header section size including the request line, in bytes (431 Request
    /// Header Fields Too Large). Default 32 KiB.
    public var maxHeaderSize = 32 * 1024
    /// Maximum number of header fields in one request (431). Default 100.
    public var maxHeaderCount = 100
    /// Maximum request body size, in bytes (413 Content Too Large). Default 8 MiB;
    /// raise it for uploads, which the handler can stream.
    public var maxBodySize: Int64 = 8 * 1024 * 1024
    /// Maximum chunk-size line length with its extensions, in bytes (400). Default 4 KiB.
    public var maxChunkLineLength = 4 * 1024

    public init() {}

    public static let `default` = HTTPLimits()
}
