extension OpenAPIDocument {
    private static let namespacePath = "/api/v1/config/apps/{app}/envs/{env}/namespaces/{namespace}"
    private static let appParameter = OpenAPIParameter(name: "app", location: "path", description: "The application: 1 to 63 lowercase letters, digits or '-', starting with a letter.")
    private static let envParameter = OpenAPIParameter(name: "env", location: "path", description: "The environment, such as dev or prod; named like the application.")
    private static let namespaceParameter = OpenAPIParameter(name: "namespace", location: "path", description: "The namespace, such as application; named like the application.")
    private static let namespaceParameters = [appParameter, envParameter, namespaceParameter]

    private static func config(
        _ method: String,
        _ suffix: String,
        _ summary: String,
        parameters: [OpenAPIParameter] = [],
        request: String? = nil,
        responses: [String: String?]
    ) -> OpenAPIOperation {
        OpenAPIOperation(method, namespacePath + suffix, summary, parameters: namespaceParameters + parameters, request: request, responses: responses)
    }

    static let configOperations: [OpenAPIOperation] = [
        OpenAPIOperation("GET", "/api/v1/config/apps/{app}/envs/{env}/namespaces", "List the namespaces of an application's environment, with their heads.",
                         parameters: [appParameter, envParameter], responses: ["200": "NamespaceList", "400": "ConfigErrorBody", "503": "ConfigErrorBody"]),
        OpenAPIOperation("GET", "/api/v1/config/apps/{app}/envs/{env}/watch", "Stream ConfigWatchEvent objects as JSON lines (application/x-ndjson): first the release the instance sees in each namespace, then every change of it; secret values decrypted. Empty lines are keep-alives sent every 15 s.",
                         parameters: [
                            appParameter, envParameter,
                            OpenAPIParameter(name: "namespaces", location: "query", description: "The namespaces to watch, comma-separated, 1 to 32."),
                            OpenAPIParameter(name: "instance", location: "query", description: "The instance id, which a gray selector may list."),
                            OpenAPIParameter(name: "labels", location: "query", description: "The instance's labels as key=value pairs separated by ','; a gray selector matches them.", required: false),
                         ],
                         responses: ["200": "ConfigWatchEvent", "400": "ConfigErrorBody", "503": "ConfigErrorBody"], contentType: "application/x-ndjson"),
        OpenAPIOperation("GET", "/api/v1/config/audit", "List audit entries, newest first: every change with its author and time. Secret values never appear.",
                         parameters: [
                            OpenAPIParameter(name: "app", location: "query", description: "Only this application's entries.", required: false),
                            OpenAPIParameter(name: "env", location: "query", description: "Only this environment's entries; needs app.", required: false),
                            OpenAPIParameter(name: "namespace", location: "query", description: "Only this namespace's entries; needs app and env.", required: false),
                            OpenAPIParameter(name: "limit", location: "query", description: "At most this many entries, 1 to 1000; default 100.", required: false, type: "integer"),
                         ],
                         responses: ["200": "AuditLog", "400": "ConfigErrorBody", "503": "ConfigErrorBody"]),
        config("PUT", "", "Create a namespace of a format, with an optional JSON Schema; its draft starts empty.",
               request: "CreateNamespaceRequest", responses: ["201": "NamespaceInfo", "400": "ConfigErrorBody", "409": "ConfigErrorBody"]),
        config("GET", "", "Read a namespace's format, schema, head and whether its draft differs from the main release.",
               responses: ["200": "NamespaceInfo", "404": "ConfigErrorBody"]),
        config("PUT", "/schema", "Attach a JSON Schema (the supported subset) that publishes must pass, or remove it with null.",
               request: "SetSchemaRequest", responses: ["200": "NamespaceInfo", "400": "ConfigErrorBody", "404": "ConfigErrorBody"]),
        config("GET", "/draft", "Read the draft, secret values masked.", responses: ["200": "Draft", "404": "ConfigErrorBody"]),
        config("PUT", "/draft/items/{key}", "Set one item of a key-value draft; a secret is encrypted with AES-256-GCM before it is stored.",
               parameters: [OpenAPIParameter(name: "key", location: "path", description: "Dot-separated parts of letters, digits, '_' or '-', such as feature.newCheckout.")],
               request: "SetItemRequest", responses: ["200": "Draft", "400": "ConfigErrorBody", "404": "ConfigErrorBody", "500": "ConfigErrorBody"]),
        config("DELETE", "/draft/items/{key}", "Remove one item from a key-value draft.",
               parameters: [
                OpenAPIParameter(name: "key", location: "path", description: "The item's key."),
                OpenAPIParameter(name: "author", location: "query", description: "Who makes the change, for the audit log."),
               ],
               responses: ["200": "Draft", "400": "ConfigErrorBody", "404": "ConfigErrorBody"]),
        config("PUT", "/draft/document", "Replace the document of a yaml, json or properties draft; it is validated when published.",
               request: "SetDocumentRequest", responses: ["200": "Draft", "400": "ConfigErrorBody", "404": "ConfigErrorBody"]),
        config("POST", "/releases", "Validate the draft and publish it to every instance as the next numbered release; 422 names the line and reason, and nothing is published.",
               request: "PublishRequest", responses: ["201": "Release", "404": "ConfigErrorBody", "409": "ConfigErrorBody", "422": "ConfigErrorBody"]),
        config("GET", "/releases", "List the releases, newest first, with their state and the instances that applied or refused each.",
               responses: ["200": "ReleaseHistory", "404": "ConfigErrorBody"]),
        config("GET", "/releases/{number}", "Read one release, secret values masked.",
               parameters: [OpenAPIParameter(name: "number", location: "path", description: "The release number, from 1.", type: "integer")],
               responses: ["200": "Release", "400": "ConfigErrorBody", "404": "ConfigErrorBody"]),
        config("POST", "/rollback", "Publish an earlier release's content again as a new release and reset the draft to it.",
               request: "RollbackRequest", responses: ["201": "Release", "400": "ConfigErrorBody", "404": "ConfigErrorBody", "409": "ConfigErrorBody"]),
        config("GET", "/diff", "Compare two versions: per key for items, per line for documents; secret values masked.",
               parameters: [
                OpenAPIParameter(name: "from", location: "query", description: "A release number, draft or none; default the main release.", required: false),
                OpenAPIParameter(name: "to", location: "query", description: "A release number, draft or none; default the draft.", required: false),
               ],
               responses: ["200": "ReleaseDiff", "400": "ConfigErrorBody", "404": "ConfigErrorBody"]),
        config("POST", "/gray", "Validate the draft and publish it as a gray release, seen only by the instances the selector matches.",
               request: "GrayStartRequest", responses: ["201": "Release", "400": "ConfigErrorBody", "409": "ConfigErrorBody", "422": "ConfigErrorBody"]),
        config("POST", "/gray/promote", "Make the gray release in progress the main release.",
               request: "GrayDecisionRequest", responses: ["200": "ReleaseHead", "404": "ConfigErrorBody", "409": "ConfigErrorBody"]),
        config("POST", "/gray/abandon", "End the gray release in progress; its instances return to the main release.",
               request: "GrayDecisionRequest", responses: ["200": "ReleaseHead", "404": "ConfigErrorBody", "409": "ConfigErrorBody"]),
        config("GET", "/current", "Read the release an instance sees, secret values decrypted; 404 before the first release.",
               parameters: [
                OpenAPIParameter(name: "instance", location: "query", description: "The instance id."),
                OpenAPIParameter(name: "labels", location: "query", description: "The instance's labels as key=value pairs separated by ','.", required: false),
               ],
               responses: ["200": "Release", "400": "ConfigErrorBody", "404": "ConfigErrorBody", "500": "ConfigErrorBody"]),
        config("PUT", "/instances/{instance}", "Report that an instance applied or refused a release; history lists the reports.",
               parameters: [OpenAPIParameter(name: "instance", location: "path", description: "The instance id.")],
               request: "InstanceReport", responses: ["204": nil, "400": "ConfigErrorBody", "503": "ConfigErrorBody"]),
    ]
}
