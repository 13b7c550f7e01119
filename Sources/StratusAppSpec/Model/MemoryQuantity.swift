/// An amount of memory in bytes, written as Kubernetes writes it: `128Mi`,
/// `1Gi`, `500M` or a number of bytes.
public struct MemoryQuantity: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var bytes: Int64

    public init(bytes: Int64) {
        self.bytes = bytes
    }

    private static let suffixes: [(String, Int64)] = [
        ("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30), ("Ti", 1 << 40),
        ("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
    ]

    /// Parses a whole number with an optional suffix (Ki, Mi, Gi, Ti, k, M,
    /// G, T); nil for other text or an amount that overflows.
    public init?(parsing text: String) {
        let suffix = Self.suffixes.first { text.hasSuffix($0.0) }
        let number = suffix.map { String(text.dropLast($0.0.count)) } ?? text
        guard let value = Int64(number), value >= 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: suffix?.1 ?? 1)
        guard !overflow else { return nil }
        bytes = product
    }

    /// The largest binary suffix that divides the amount, such as `128Mi`,
    /// or bytes.
    public var description: String {
        for (suffix, factor) in Self.suffixes.prefix(4).reversed() where bytes != 0 && bytes % factor == 0 {
            return "\(bytes / factor)\(suffix)"
        }
        return "\(bytes)"
    }

    public static func < (lhs: MemoryQuantity, rhs: MemoryQuantity) -> Bool {
        lhs.bytes < rhs.bytes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = (try? container.decode(Int64.self)).map(String.init)
        guard let quantity = try MemoryQuantity(parsing: text ?? container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a memory amount such as 128Mi, 1Gi, 500M or a number of bytes"
            )
        }
        self = quantity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
