/// The OpenAPI 3 description of the control plane's API, served at
/// `/openapi.json`.
enum OpenAPIDocument {
    static let json = "{}"
}
