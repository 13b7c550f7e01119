import Foundation

/// The OpenAPI 3.0 description of the admin API, served at
/// `/openapi.json`. Tests check that it lists exactly the routes the admin
/// router has, and that docs/gateway.md lists the same operations.
enum AdminOpenAPIDocument {
    static let json: String = {
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }()

    static var document: [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method.lowercased()] = operation.object
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "Stratus gateway admin API",
                "version": "1",
                "description": "Configuration, routes, upstreams and metrics of one gateway replica. Every route except /healthz, /readyz and /openapi.json needs Authorization: Bearer <token>.",
            ],
            "paths": paths,
            "components": [
                "schemas": AdminOpenAPISchemas.all,
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            ],
        ]
    }

    private static let name = AdminOpenAPIOperation.Parameter(name: "name", description: "The route or upstream name.")

    /// Every operation, in the order of the router.
    static let operations: [AdminOpenAPIOperation] = [
        .init("GET", "/healthz", "Liveness: 200 while the process serves.", responses: ["200": nil], contentType: "text/plain", secured: false),
        .init("GET", "/readyz", "Readiness: 200 once the gateway serves.", responses: ["200": nil], contentType: "text/plain", secured: false),
        .init("GET", "/openapi.json", "This document.", responses: ["200": nil], secured: false),
        .init("GET", "/metrics", "Prometheus metrics, text exposition format 0.0.4.", responses: ["200": nil, "401": "Error"], contentType: "text/plain"),
        .init("GET", "/admin/config", "The configuration in use: its generation, origin and YAML text.", responses: ["200": "Configuration", "401": "Error"]),
        .init("POST", "/admin/config/validate", "Validate a YAML configuration (the request body) in full without applying it.", requestType: "application/yaml", responses: ["200": "Validation", "401": "Error", "413": nil, "422": "Validation"]),
        .init("PUT", "/admin/config", "Validate a YAML configuration (the request body) and apply it; the running configuration stays when it is invalid.", requestType: "application/yaml", responses: ["200": "Validation", "401": "Error", "413": nil, "422": "Validation"]),
        .init("GET", "/admin/routes", "Every route with its match, upstream, plugins and statistics.", responses: ["200": "RouteList", "401": "Error"]),
        .init("GET", "/admin/routes/{name}", "One route.", parameters: [name], responses: ["200": "Route", "401": "Error", "404": "Error"]),
        .init("GET", "/admin/upstreams", "Every upstream with its instances' health, ejections and circuit breaker state.", responses: ["200": "UpstreamList", "401": "Error"]),
        .init("GET", "/admin/upstreams/{name}", "One upstream.", parameters: [name], responses: ["200": "Upstream", "401": "Error", "404": "Error"]),
    ]
}

/// One operation of the admin OpenAPI document.
struct AdminOpenAPIOperation {
    struct Parameter {
        var name: String
        var description: String
    }

    let method: String
    let path: String
    let summary: String
    let parameters: [Parameter]
    let requestType: String?
    /// Status code to schema name; nil for a body without a schema.
    let responses: [String: String?]
    let contentType: String
    let secured: Bool

    init(_ method: String, _ path: String, _ summary: String, parameters: [Parameter] = [], requestType: String? = nil, responses: [String: String?], contentType: String = "application/json", secured: Bool = true) {
        self.method = method
        self.path = path
        self.summary = summary
        self.parameters = parameters
        self.requestType = requestType
        self.responses = responses
        self.contentType = contentType
        self.secured = secured
    }

    var object: [String: Any] {
        var object: [String: Any] = [
            "summary": summary,
            "responses": responses.reduce(into: [String: Any]()) { result, entry in
                var response: [String: Any] = ["description": entry.key.hasPrefix("2") ? "Success" : "Failure; see the reason"]
                if let schema = entry.value {
                    let type = entry.key.hasPrefix("2") ? contentType : "application/json"
                    response["content"] = [type: ["schema": ["$ref": "#/components/schemas/\(schema)"]]]
                }
                result[entry.key] = response
            },
            "security": secured ? [["bearer": [String]()]] : [[String: [String]]](),
        ]
        if !parameters.isEmpty {
            object["parameters"] = parameters.map { ["name": $0.name, "in": "path", "required": true, "description": $0.description, "schema": ["type": "string"]] }
        }
        if let requestType {
            object["requestBody"] = ["required": true, "content": [requestType: ["schema": ["type": "string"]]]]
        }
        return object
    }
}

/// The schemas of the admin API's JSON bodies.
enum AdminOpenAPISchemas {
    static var all: [String: Any] { [
        "Error": object(["reason", "message"], ["reason": string("A stable code such as unauthorized or not_found."), "message": string("What failed, naming the value.")]),
        "Configuration": object(["generation", "origin", "routes", "upstreams", "source"], [
            "generation": integer("The number of the configuration, 1 for the first applied."),
            "origin": string("Where it was read: a file path, a store key or admin API."),
            "routes": integer("Routes."), "upstreams": integer("Upstreams."),
            "source": string("The YAML text."),
        ]),
        "Problem": object(["message"], ["keyPath": string("The key path at fault, such as routes[2].upstream."), "message": string("What is wrong, naming the route, field and value.")]),
        "Validation": object(["valid", "problems"], [
            "valid": ["type": "boolean"],
            "problems": ["type": "array", "items": ref("Problem")],
            "generation": integer("After PUT: the generation now in use."),
        ]),
        "Statistics": object(["requests", "status1xx", "status2xx", "status3xx", "status4xx", "status5xx", "meanDurationMilliseconds"], [
            "requests": integer("Requests answered."), "status1xx": integer("1xx."), "status2xx": integer("2xx."), "status3xx": integer("3xx."),
            "status4xx": integer("4xx."), "status5xx": integer("5xx."), "meanDurationMilliseconds": ["type": "number"],
        ]),
        "Route": object(["name", "match", "hosts", "methods", "priority", "upstream", "plugins", "statistics"], [
            "name": string("The route's name."), "match": string("The path condition, such as prefix /api."),
            "hosts": strings("Host conditions."), "methods": strings("Method conditions."), "priority": integer("Tie breaker."),
            "upstream": string("The upstream's name."), "plugins": strings("Plugin names."), "statistics": ref("Statistics"),
        ]),
        "RouteList": ["type": "array", "items": ref("Route")],
        "Instance": object(["id", "endpoint", "version", "status", "healthy", "ejected"], [
            "id": string("The instance id."), "endpoint": string("address:port."), "version": string("The version label."),
            "status": ["type": "string", "enum": ["UP", "DRAINING", "DOWN"]],
            "healthy": ["type": "boolean", "description": "False after failed active health checks."],
            "ejected": ["type": "boolean", "description": "True while outlier detection ejects it."],
            "lastHealthCheckError": string("The last failed probe's error."),
        ]),
        "Upstream": object(["name", "loadBalancing", "circuitBreaker", "retryBudgetBalance", "instances"], [
            "name": string("The upstream's name."), "service": string("The discovered service, when not static."),
            "loadBalancing": string("The balancer."), "circuitBreaker": ["type": "string", "enum": ["none", "closed", "open", "halfOpen"]],
            "retryBudgetBalance": ["type": "number", "description": "Retries the budget admits now."],
            "instances": ["type": "array", "items": ref("Instance")],
        ]),
        "UpstreamList": ["type": "array", "items": ref("Upstream")],
    ] }

    private static func object(_ required: [String], _ properties: [String: Any]) -> [String: Any] {
        ["type": "object", "required": required, "properties": properties]
    }

    private static func string(_ description: String) -> [String: Any] { ["type": "string", "description": description] }
    private static func integer(_ description: String) -> [String: Any] { ["type": "integer", "description": description] }
    private static func strings(_ description: String) -> [String: Any] { ["type": "array", "items": ["type": "string"], "description": description] }
    private static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
}
