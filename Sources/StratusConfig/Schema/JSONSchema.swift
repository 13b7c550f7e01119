/// A JSON Schema of the subset the config center supports, parsed from
/// JSON text and checked at publish.
///
/// Supported keywords: `type` (a name or a list of names), `properties`,
/// `required`, `additionalProperties` (a boolean or a schema), `items` (one
/// schema for every element), `enum`, `const`, `minimum`, `maximum`,
/// `minLength`, `maxLength`, `pattern`, `minItems` and `maxItems`, with the
/// meaning of JSON Schema draft 2020-12. The annotations `$schema`, `$id`,
/// `$comment`, `title`, `description`, `default` and `examples` are
/// accepted and ignored. Any other keyword is rejected when the schema is
/// attached, so that a misspelt keyword cannot pass unnoticed. `true` and
/// `false` are schemas that accept and reject every value.
package final class JSONSchema: Sendable {
    package enum AdditionalProperties: Sendable {
        case allowed
        case forbidden
        case schema(JSONSchema)
    }

    /// False for the schema `false`, which rejects every value.
    let acceptsValues: Bool
    let types: Set<String>?
    let properties: [(name: String, schema: JSONSchema)]
    let required: [String]
    let additionalProperties: AdditionalProperties
    let items: JSONSchema?
    let enumValues: [DocumentValue]?
    let constValue: DocumentValue?
    let minimum: Double?
    let maximum: Double?
    let minLength: Int?
    let maxLength: Int?
    /// An ECMA-262 regular expression that a string must contain a match of.
    let pattern: String?
    let minItems: Int?
    let maxItems: Int?

    /// Parses a schema from JSON text.
    /// - Throws: `ContentProblem` naming the line of a malformed or
    ///   unsupported keyword.
    package convenience init(parsing text: String) throws(ContentProblem) {
        try self.init(value: try JSONDocumentParser.parse(text))
    }

    /// Parses a schema from a JSON value: an object of keywords, `true` or
    /// `false`.
    init(value: DocumentValue) throws(ContentProblem) {
        if case .bool(let accepts) = value.content {
            acceptsValues = accepts
            (types, properties, required, additionalProperties, items) = (nil, [], [], .allowed, nil)
            (enumValues, constValue, minimum, maximum, minLength, maxLength, pattern, minItems, maxItems) = (nil, nil, nil, nil, nil, nil, nil, nil, nil)
            return
        }
        let keywords = try Self.keywords(of: value)
        acceptsValues = true
        types = try Self.parseTypes(keywords["type"])
        properties = try Self.parseProperties(keywords["properties"])
        required = try Self.parseStrings(keywords["required"], keyword: "required") ?? []
        additionalProperties = try Self.parseAdditionalProperties(keywords["additionalProperties"])
        items = try keywords["items"].map { (value) throws(ContentProblem) in try JSONSchema(value: value) }
        enumValues = try Self.parseEnum(keywords["enum"])
        constValue = keywords["const"]
        minimum = try Self.parseNumber(keywords["minimum"], keyword: "minimum")
        maximum = try Self.parseNumber(keywords["maximum"], keyword: "maximum")
        minLength = try Self.parseCount(keywords["minLength"], keyword: "minLength")
        maxLength = try Self.parseCount(keywords["maxLength"], keyword: "maxLength")
        pattern = try Self.parsePattern(keywords["pattern"])
        minItems = try Self.parseCount(keywords["minItems"], keyword: "minItems")
        maxItems = try Self.parseCount(keywords["maxItems"], keyword: "maxItems")
    }
}
