/// An amount of CPU in millicores, written as Kubernetes writes it: `250m`,
/// `0.5` or `2` (whole CPUs).
public struct CPUQuantity: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var millicores: Int

    public init(millicores: Int) {
        self.millicores = millicores
    }

    /// Parses `250m`, `0.5` or `2`; nil for other text, a negative amount or
    /// a fraction of a millicore.
    public init?(parsing text: String) {
        if text.hasSuffix("m") {
            guard let value = Int(text.dropLast()), value >= 0 else { return nil }
            millicores = value
            return
        }
        guard let cores = Double(text), cores >= 0, cores.isFinite, text.first?.isNumber == true else { return nil }
        let scaled = cores * 1000
        guard scaled == scaled.rounded(), scaled <= Double(Int.max) else { return nil }
        millicores = Int(scaled)
    }

    /// `250m` below one CPU or for a fraction, `2` for whole CPUs.
    public var description: String {
        millicores % 1000 == 0 ? "\(millicores / 1000)" : "\(millicores)m"
    }

    public static func < (lhs: CPUQuantity, rhs: CPUQuantity) -> Bool {
        lhs.millicores < rhs.millicores
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = (try? container.decode(Int.self)).map(String.init) ?? (try? container.decode(Double.self)).map { "\($0)" }
        guard let quantity = try CPUQuantity(parsing: text ?? container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a CPU amount such as 250m (millicores), 0.5 or 2 (CPUs)"
            )
        }
        self = quantity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
