/// One operation of the OpenAPI document.
struct OpenAPIOperation {
    let method: String
    let path: String
    let summary: String
    let parameters: [OpenAPIParameter]
    let request: String?
    /// Status code to schema name; nil for a response without a JSON body.
    let responses: [String: String?]
    let contentType: String

    init(
        _ method: String,
        _ path: String,
        _ summary: String,
        parameters: [OpenAPIParameter] = [],
        request: String? = nil,
        responses: [String: String?],
        contentType: String = "application/json"
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.parameters = parameters
        self.request = request
        self.responses = responses
        self.contentType = contentType
    }

    var object: [String: Any] {
        var object: [String: Any] = [
            "summary": summary,
            "responses": responses.reduce(into: [String: Any]()) { result, entry in
                var response: [String: Any] = ["description": entry.key.hasPrefix("2") ? "Success" : "Failure; see the error code"]
                if let schema = entry.value {
                    let type = entry.key.hasPrefix("2") ? contentType : "application/json"
                    response["content"] = [type: ["schema": ["$ref": "#/components/schemas/\(schema)"]]]
                }
                result[entry.key] = response
            },
        ]
        if !parameters.isEmpty {
            object["parameters"] = parameters.map(\.object)
        }
        if let request {
            object["requestBody"] = ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(request)"]]]]
        }
        return object
    }
}

struct OpenAPIParameter {
    var name: String
    var location: String
    var description: String
    var required = true
    var type = "string"

    var object: [String: Any] {
        ["name": name, "in": location, "description": description, "required": required, "schema": ["type": type]]
    }
}
