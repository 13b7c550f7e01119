extension OpenAPISchemas {
    private static let formats = ["key-value", "yaml", "json", "properties"]
    private static var namespaceFields: [String: Any] { [
        "application": string("The application."),
        "environment": string("The environment."),
        "namespace": string("The namespace."),
    ] }
    private static var author: [String: Any] { string("Who makes the change: 1 to 128 characters, for the audit log.") }
    private static var time: [String: Any] { ["type": "string", "format": "date-time"] }

    /// The schemas of the config center's bodies.
    static var config: [String: Any] { [
        "ConfigItem": object(required: ["key", "value", "secret"], [
            "key": string("Dot-separated parts of letters, digits, '_' or '-'."),
            "value": string("The value; ****** for a secret outside an instance's fetch."),
            "secret": ["type": "boolean"],
        ]),
        "ConfigContent": object(required: ["format", "items"], [
            "format": ["type": "string", "enum": formats],
            "items": ["type": "array", "items": ref("ConfigItem"), "description": "key-value: the items, sorted by key."],
            "document": string("yaml, json, properties: the document's text."),
        ]),
        "GraySelector": object(required: ["labels", "instances"], [
            "labels": ["type": "object", "additionalProperties": ["type": "string"], "description": "Instances whose labels include all of these."],
            "instances": ["type": "array", "items": ["type": "string"], "description": "Instance ids."],
        ]),
        "ReleaseHead": object(required: ["latestRelease", "mainRelease", "abandonedReleases", "rolledBackReleases"], [
            "latestRelease": integer("The highest release number; 0 before the first publish."),
            "mainRelease": integer("The release every instance outside the gray selector sees."),
            "gray": object(required: ["release", "selector", "startedAt", "startedBy"], [
                "release": integer("The gray release."), "selector": ref("GraySelector"), "startedAt": time, "startedBy": string("Who started it."),
            ]),
            "abandonedReleases": ["type": "array", "items": ["type": "integer"]],
            "rolledBackReleases": ["type": "array", "items": ["type": "integer"]],
        ]),
        "Release": object(required: ["application", "environment", "namespace", "number", "kind", "author", "comment", "createdAt", "content"], namespaceFields.merging([
            "number": integer("1, 2, 3... per namespace."),
            "kind": ["type": "string", "enum": ["publish", "rollback", "gray"]],
            "author": string("Who published it."), "comment": string("Why."), "createdAt": time,
            "content": ref("ConfigContent"),
            "rollbackOf": integer("rollback: the release whose content it repeats."),
            "gray": ref("GraySelector"),
        ]) { first, _ in first }),
        "NamespaceInfo": object(required: ["application", "environment", "namespace", "format", "createdAt", "createdBy", "head", "draftChanged"], namespaceFields.merging([
            "format": ["type": "string", "enum": formats],
            "schema": string("The JSON Schema publishes must pass, as JSON text."),
            "createdAt": time, "createdBy": string("Who created it."),
            "head": ref("ReleaseHead"),
            "draftChanged": ["type": "boolean", "description": "Whether the draft differs from the main release."],
        ]) { first, _ in first }),
        "NamespaceList": object(required: ["application", "environment", "namespaces"], [
            "application": string("The application."), "environment": string("The environment."),
            "namespaces": ["type": "array", "items": ref("NamespaceInfo")],
        ]),
        "Draft": object(required: ["content", "updatedAt", "updatedBy", "changed"], [
            "content": ref("ConfigContent"), "updatedAt": time, "updatedBy": string("Who edited it last."),
            "changed": ["type": "boolean", "description": "Whether it differs from the main release."],
        ]),
        "InstanceReport": object(required: ["release", "status", "labels"], [
            "instance": string("The instance id; the path's id on a report."),
            "release": integer("The release the instance received."),
            "status": ["type": "string", "enum": ["applied", "refused"]],
            "reason": string("refused: why."),
            "labels": ["type": "object", "additionalProperties": ["type": "string"]],
            "reportedAt": time,
        ]),
        "ReleaseSummary": object(required: ["number", "kind", "state", "author", "comment", "createdAt", "instances"], [
            "number": integer("The release."), "kind": ["type": "string", "enum": ["publish", "rollback", "gray"]],
            "state": ["type": "string", "enum": ["main", "gray", "abandoned", "rolled-back", "previous"]],
            "author": string("Who published it."), "comment": string("Why."), "createdAt": time,
            "rollbackOf": integer("rollback: the release it repeats."), "gray": ref("GraySelector"),
            "instances": ["type": "array", "items": ref("InstanceReport"), "description": "Instances whose latest report names this release."],
        ]),
        "ReleaseHistory": object(required: ["application", "environment", "namespace", "head", "releases"], namespaceFields.merging([
            "head": ref("ReleaseHead"), "releases": ["type": "array", "items": ref("ReleaseSummary")],
        ]) { first, _ in first }),
        "ReleaseDiff": object(required: ["from", "to", "format", "items", "lines"], [
            "from": string("A release number, draft or none."), "to": string("A release number, draft or none."),
            "format": ["type": "string", "enum": formats],
            "items": ["type": "array", "items": object(required: ["key", "kind", "secret"], [
                "key": string("The key."), "kind": ["type": "string", "enum": ["added", "removed", "changed"]],
                "old": string("The old value, masked for a secret."), "new": string("The new value, masked for a secret."),
                "secret": ["type": "boolean"],
            ])],
            "lines": ["type": "array", "items": object(required: ["kind", "line", "text"], [
                "kind": ["type": "string", "enum": ["added", "removed"]],
                "line": integer("The line number in the old document (removed) or the new one (added)."),
                "text": string("The line."),
            ])],
        ]),
        "ConfigWatchEvent": object(required: ["type", "namespace"], [
            "type": ["type": "string", "enum": ["RELEASE", "NONE"]],
            "namespace": string("The namespace."),
            "release": ref("Release"),
        ]),
        "AuditLog": object(required: ["entries"], ["entries": ["type": "array", "items": object(required: ["time", "author", "action", "application", "environment", "namespace", "detail"], namespaceFields.merging([
            "time": time, "author": string("Who."),
            "action": ["type": "string", "enum": ["create-namespace", "set-schema", "set-item", "delete-item", "set-document", "publish", "rollback", "gray-start", "gray-promote", "gray-abandon"]],
            "key": string("The item an edit changed."), "release": integer("The release a publish, rollback or gray decision made or changed."),
            "detail": string("What changed."),
        ]) { first, _ in first })]]),
        "CreateNamespaceRequest": object(required: ["format", "author"], [
            "format": ["type": "string", "enum": formats], "schema": string("A JSON Schema as JSON text."), "author": author,
        ]),
        "SetSchemaRequest": object(required: ["author"], ["schema": string("A JSON Schema as JSON text; null removes it."), "author": author]),
        "SetItemRequest": object(required: ["value", "author"], [
            "value": string("The value."), "secret": ["type": "boolean", "default": false, "description": "Encrypt at rest and mask in listings."], "author": author,
        ]),
        "SetDocumentRequest": object(required: ["document", "author"], ["document": string("The whole document, at most 1 MiB."), "author": author]),
        "PublishRequest": object(required: ["author"], ["author": author, "comment": string("Why.")]),
        "RollbackRequest": object(required: ["author"], [
            "to": integer("The release to restore; default the newest release before the main one that was neither rolled back nor abandoned."),
            "author": author, "comment": string("Why."),
        ]),
        "GrayStartRequest": object(required: ["selector", "author"], ["selector": ref("GraySelector"), "author": author, "comment": string("Why.")]),
        "GrayDecisionRequest": object(required: ["author"], ["author": author, "comment": string("Why.")]),
        "ConfigErrorBody": object(required: ["error"], [
            "error": object(required: ["code", "message"], [
                "code": ["type": "string", "enum": ["invalid_argument", "invalid_content", "not_found", "conflict", "secret_key_unavailable", "unavailable"]],
                "message": string("What failed, naming the namespace, key or line, and what to do."),
                "application": string("The namespace's application."), "environment": string("The namespace's environment."),
                "namespace": string("The namespace."), "key": string("The item at fault."),
                "line": integer("invalid_content: the 1-based line of the problem."), "column": integer("invalid_content: its column."),
                "reason": string("invalid_content: the problem without its place."),
            ]),
        ]),
    ] }
}
