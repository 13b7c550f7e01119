/// The fields of a JSON object, in order.
struct JSONObject: Sendable {
    var fields: [(name: String, value: JSONValue)]

    init(fields: [(name: String, value: JSONValue)] = []) {
        self.fields = fields
    }

    /// The value of the first field called `name`.
    subscript(name: String) -> JSONValue? {
        fields.first { $0.name == name }?.value
    }
}
