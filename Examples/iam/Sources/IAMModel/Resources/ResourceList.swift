/// A page of a list route: `totalCount` counts every match before offset and
/// limit and is left out when `0`; `items` is `[]`, never null, when empty.
public struct ResourceList<Item: Codable & Sendable>: Sendable, Codable {
    public var totalCount: Int64
    public var items: [Item]

    public init(totalCount: Int64, items: [Item]) {
        self.totalCount = totalCount
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case totalCount, items
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        totalCount = try container.decodeIfPresent(Int64.self, forKey: .totalCount) ?? 0
        items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if totalCount != 0 { try container.encode(totalCount, forKey: .totalCount) }
        try container.encode(items, forKey: .items)
    }
}
