/// A count of replicas written as a number (`1`) or as a percentage of the
/// desired replicas (`25%`), like Kubernetes' IntOrString in a Deployment's
/// `maxSurge` and `maxUnavailable`.
public enum IntOrPercent: Sendable, Hashable, Codable, CustomStringConvertible {
    case count(Int)
    case percent(Int)

    /// Returns the count for `replicas` desired replicas. A percentage is
    /// rounded up for `maxSurge` and down for `maxUnavailable`, as the
    /// Deployment controller rounds them.
    public func resolve(against replicas: Int, roundingUp: Bool) -> Int {
        switch self {
        case .count(let count):
            return count
        case .percent(let percent):
            let product = replicas * percent
            return roundingUp ? (product + 99) / 100 : product / 100
        }
    }

    public var description: String {
        switch self {
        case .count(let count): "\(count)"
        case .percent(let percent): "\(percent)%"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) {
            self = .count(count)
            return
        }
        let text = try container.decode(String.self)
        guard text.hasSuffix("%"), let percent = Int(text.dropLast()) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a number of replicas such as 1 or a percentage of the replicas such as 25%"
            )
        }
        self = .percent(percent)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .count(let count): try container.encode(count)
        case .percent: try container.encode(description)
        }
    }
}
