/// The schemas of the OpenAPI document's bodies.
enum OpenAPISchemas {
    static var all: [String: Any] { [
        "ServiceInstance": object(required: ["service", "id", "address", "port"], [
            "service": string("The service name: 1 to 63 lowercase letters, digits or '-', starting with a letter."),
            "id": string("Unique within the service: 1 to 128 letters, digits, '.', '_' or '-'."),
            "address": string("A numeric IP address or a host name."),
            "port": integer("1 to 65535."),
            "scheme": ["type": "string", "enum": ["http", "https"], "default": "http"],
            "labels": ["type": "object", "additionalProperties": ["type": "string"], "description": "At most 64 labels."],
            "version": string("At most 64 characters."),
            "zone": string("The instance's zone, for zone-aware load balancing."),
            "weight": ["type": "integer", "minimum": 1, "maximum": 10000, "default": 100],
            "status": ["type": "string", "enum": ["UP", "DRAINING", "DOWN"], "default": "UP"],
            "healthCheck": ref("HealthCheck"),
        ]),
        "HealthCheck": object(required: ["path"], [
            "path": string("The path to GET; 2xx and 3xx pass."),
            "port": integer("The port to probe; the instance's port when absent."),
            "periodSeconds": ["type": "integer", "minimum": 1, "maximum": 3600, "default": 10],
            "timeoutSeconds": ["type": "integer", "minimum": 1, "maximum": 60, "default": 1],
            "successThreshold": ["type": "integer", "minimum": 1, "maximum": 100, "default": 1],
            "failureThreshold": ["type": "integer", "minimum": 1, "maximum": 100, "default": 3],
        ]),
        "RegistrationRequest": object(required: ["instance"], [
            "instance": ref("ServiceInstance"),
            "ttlSeconds": ["type": "integer", "minimum": 1, "maximum": 300, "default": 3],
        ]),
        "RegistrationResponse": object(required: ["instance", "lease", "ttlSeconds", "revision"], [
            "instance": ref("ServiceInstance"),
            "lease": string("The lease id in hexadecimal."),
            "ttlSeconds": integer("The TTL granted."),
            "revision": integer("The store revision of the registration."),
        ]),
        "Heartbeat": object(required: ["ttlSeconds"], ["ttlSeconds": integer("The TTL the lease was renewed to.")]),
        "StatusChange": object(required: ["status"], ["status": ["type": "string", "enum": ["UP", "DRAINING", "DOWN"]]]),
        "InstanceList": object(required: ["service", "revision", "instances"], [
            "service": string("The service."),
            "revision": integer("The store revision of the list; watch from revision + 1."),
            "instances": ["type": "array", "items": ref("ServiceInstance")],
        ]),
        "ServiceSummary": object(required: ["name", "instances", "up"], [
            "name": string("The service."),
            "instances": integer("Registered instances."),
            "up": integer("Instances with status UP."),
        ]),
        "ServiceList": object(required: ["revision", "services"], [
            "revision": integer("The store revision of the list."),
            "services": ["type": "array", "items": ref("ServiceSummary")],
        ]),
        "RegistryEvent": object(required: ["type", "revision"], [
            "type": ["type": "string", "enum": ["PUT", "DELETE", "RESYNC"]],
            "revision": integer("The store revision of the change."),
            "service": string("PUT and DELETE: the instance's service."),
            "id": string("PUT and DELETE: the instance's id."),
            "instance": ref("ServiceInstance"),
            "instances": ["type": "array", "items": ref("ServiceInstance"), "description": "RESYNC: every instance in scope."],
        ]),
        "ErrorBody": object(required: ["error"], [
            "error": object(required: ["code", "message"], [
                "code": ["type": "string", "enum": ["invalid_argument", "not_found", "conflict", "unavailable", "timed_out", "closed"]],
                "message": string("What failed, naming the value."),
                "field": string("invalid_argument: the field at fault."),
                "value": string("invalid_argument: the value received."),
                "expected": string("invalid_argument: what the field allows."),
            ]),
        ]),
        "EtcdMessage": ["type": "object", "description": "A message of etcd's v3 API (etcdserverpb) in the JSON gateway's encoding."],
        "EtcdError": object(required: ["error", "message", "code"], [
            "error": string("The error text, as etcd writes it."),
            "message": string("The same text."),
            "code": integer("The gRPC status code, such as 3 (invalid argument) or 5 (not found)."),
        ]),
    ].merging(appSchemas) { registry, _ in registry } }

    /// OpenAPI 3.0 requires `required` to list at least one name, so an
    /// empty list is left out.
    static func object(required: [String], _ properties: [String: Any]) -> [String: Any] {
        var schema: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty {
            schema["required"] = required
        }
        return schema
    }

    static func string(_ description: String) -> [String: Any] {
        ["type": "string", "description": description]
    }

    static func integer(_ description: String) -> [String: Any] {
        ["type": "integer", "description": description]
    }

    static func ref(_ name: String) -> [String: Any] {
        ["$ref": "#/components/schemas/\(name)"]
    }
}
