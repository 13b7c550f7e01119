extension OpenAPIDocument {
    private static let appParameter = OpenAPIParameter(name: "app", location: "path", description: "The app name: a DNS label.")
    private static let serviceParameter = OpenAPIParameter(name: "service", location: "path", description: "The service name within the app.")

    static let appOperations: [OpenAPIOperation] = [
        OpenAPIOperation("GET", "/api/v1/apps", "List the apps that have a spec.", responses: ["200": "AppList", "503": "AppErrorBody"]),
        OpenAPIOperation("PUT", "/api/v1/apps/{app}", "Apply an app spec: store it as the desired state; the orchestrator running the app reconciles toward it. A 400 lists every problem of the spec.",
                         parameters: [appParameter], request: "AppSpec", responses: ["200": "ApplyResult", "400": "AppErrorBody", "503": "AppErrorBody"]),
        OpenAPIOperation("GET", "/api/v1/apps/{app}", "Return the app's desired state: its spec and its services' deployments.",
                         parameters: [appParameter], responses: ["200": "AppDocument", "404": "AppErrorBody", "503": "AppErrorBody"]),
        OpenAPIOperation("DELETE", "/api/v1/apps/{app}", "Delete the app. The orchestrator stops its gateway and replicas, and `stratus up` exits.",
                         parameters: [appParameter], responses: ["202": nil, "404": "AppErrorBody", "503": "AppErrorBody"]),
        OpenAPIOperation("GET", "/api/v1/apps/{app}/status", "Return the app's observed state: replicas, readiness, restarts, rollouts and scaling events.",
                         parameters: [appParameter], responses: ["200": "AppStatus", "404": "AppErrorBody", "503": "AppErrorBody"]),
        OpenAPIOperation("PUT", "/api/v1/apps/{app}/services/{service}/scale", "Set the service's desired replica count. An autoscaler, when set, changes it again at its next sync.",
                         parameters: [appParameter, serviceParameter], request: "ScaleRequest",
                         responses: ["200": "DeploymentState", "400": "AppErrorBody", "404": "AppErrorBody", "409": "AppErrorBody"]),
        OpenAPIOperation("POST", "/api/v1/apps/{app}/services/{service}/restart", "Start a rolling restart: a new restart stamp replaces every replica within the rollout's maxSurge and maxUnavailable.",
                         parameters: [appParameter, serviceParameter], responses: ["200": "DeploymentState", "404": "AppErrorBody", "409": "AppErrorBody"]),
    ]
}

extension OpenAPISchemas {
    static var appSchemas: [String: Any] { [
        "AppList": object(required: ["apps"], ["apps": ["type": "array", "items": ["type": "string"]]]),
        "AppSpec": object(required: ["name", "services"], [
            "name": string("The app name: a DNS label."),
            "services": ["type": "array", "items": ref("ServiceSpec")],
            "gateway": ["type": "object", "description": "listen (ADDRESS:PORT), drainPeriod (seconds) and the gateway's own keys, such as routes and upstreams, passed through."],
            "controlPlane": object(required: [], ["listen": string("ADDRESS:PORT."), "store": string("embedded, embedded:DIR or memory.")]),
            "build": object(required: [], ["configuration": ["type": "string", "enum": ["debug", "release"]], "packagePath": string("The Swift package's directory.")]),
            "autoscaler": object(required: [], ["syncPeriod": seconds("The autoscaler's period."), "tolerance": ["type": "number", "description": "0 to 1."]]),
        ]),
        "ServiceSpec": object(required: ["name"], [
            "name": string("The service name: a DNS label."),
            "product": string("A SwiftPM executable product; or command."),
            "command": string("The program to run; or product."),
            "arguments": ["type": "array", "items": ["type": "string"]],
            "environment": ["type": "object", "additionalProperties": ["type": "string"]],
            "workingDirectory": string("The replicas' working directory."),
            "replicas": ["type": "integer", "minimum": 0, "default": 1],
            "dependsOn": ["type": "array", "items": ["type": "string"], "description": "Services that must have a ready replica first."],
            "health": ["type": "object", "description": "enabled, livenessPath, readinessPath, period, timeout, failureThreshold, startupGrace (durations in seconds)."],
            "autoscale": object(required: ["max"], [
                "min": ["type": "integer", "minimum": 1, "default": 1], "max": integer("At least min."),
                "targetCPUPercent": ["type": "integer", "minimum": 1, "default": 80], "scaleDownStabilization": seconds("Default 300."),
            ]),
            "rollout": object(required: [], ["maxSurge": intOrPercent, "maxUnavailable": intOrPercent]),
            "resources": ["type": "object", "description": "requests and limits, each with cpu (such as 250m) and memory (such as 128Mi)."],
            "drainPeriod": seconds("Time between DRAINING and SIGTERM."),
            "terminationGracePeriod": seconds("Time between SIGTERM and SIGKILL."),
        ]),
        "ApplyResult": object(required: ["app", "revision", "services"], [
            "app": string("The app."),
            "revision": integer("The store revision of the write."),
            "services": ["type": "array", "items": object(required: ["name", "replicas", "created"], [
                "name": string("The service."), "replicas": integer("The desired count."), "created": ["type": "boolean"],
            ])],
        ]),
        "AppDocument": object(required: ["spec", "deployments"], ["spec": ref("AppSpec"), "deployments": ["type": "array", "items": ref("DeploymentState")]]),
        "DeploymentState": object(required: ["service", "replicas", "specReplicas"], [
            "service": string("The service."),
            "replicas": integer("The desired replica count."),
            "specReplicas": integer("The count of the spec applied last."),
            "restartedAt": string("The last rolling restart's request time, ISO 8601."),
        ]),
        "ScaleRequest": object(required: ["replicas"], ["replicas": ["type": "integer", "minimum": 0, "maximum": 1000]]),
        "AppStatus": object(required: ["app", "phase", "updatedAt", "controlPlane", "services"], [
            "app": string("The app."),
            "phase": ["type": "string", "enum": ["starting", "running", "stopping"]],
            "updatedAt": string("ISO 8601."),
            "controlPlane": string("The control plane's URL."),
            "gateway": string("The gateway's URL."),
            "services": ["type": "array", "items": ref("ServiceStatus")],
        ]),
        "ServiceStatus": object(required: ["name", "desiredReplicas", "readyReplicas", "availableReplicas", "updatedReplicas", "restarts", "crashLooping", "rollout", "replicas"], [
            "name": string("The service."),
            "desiredReplicas": integer("The desired count."),
            "readyReplicas": integer("Replicas whose readiness probe passes."),
            "availableReplicas": integer("Ready replicas that are registered."),
            "updatedReplicas": integer("Replicas of the current template."),
            "restarts": integer("Restarts of all replicas."),
            "crashLooping": ["type": "boolean"],
            "rollout": object(required: ["template", "updatedReplicas", "updatedAvailable", "oldReplicas", "complete"], [
                "template": string("The current template's hash."), "updatedReplicas": integer("Replicas of the template."),
                "updatedAvailable": integer("Those available."), "oldReplicas": integer("Replicas of older templates."), "complete": ["type": "boolean"],
            ]),
            "autoscale": ["type": "object", "description": "min, max, targetCPUPercent, currentCPUPercent and events (time, from, to, reason)."],
            "replicas": ["type": "array", "items": ref("ReplicaStatus")],
        ]),
        "ReplicaStatus": object(required: ["id", "endpoint", "state", "ready", "registered", "restarts", "template", "backoffDelays", "logFile"], [
            "id": string("<service>-<n>."),
            "pid": integer("The process id while a process runs."),
            "endpoint": string("127.0.0.1:PORT."),
            "state": ["type": "string", "enum": ["starting", "ready", "not-ready", "draining", "terminating", "restarting", "crash-looping"]],
            "ready": ["type": "boolean"],
            "registered": ["type": "boolean"],
            "restarts": integer("Restarts of this replica."),
            "template": string("The template's hash."),
            "backoffDelays": ["type": "array", "items": ["type": "number"], "description": "Seconds waited before each restart since the last stable run."],
            "lastExit": string("How the last process ended."),
            "cpuPercent": ["type": "number", "description": "Percent of one CPU over the last autoscaler period."],
            "logFile": string("The replica's log file."),
        ]),
        "AppErrorBody": object(required: ["error"], [
            "error": object(required: ["code", "message", "problems"], [
                "code": ["type": "string", "enum": ["invalid_argument", "not_found", "conflict", "unavailable"]],
                "message": string("What failed, naming the value."),
                "problems": ["type": "array", "items": object(required: ["message"], [
                    "location": string("file:line:column."), "field": string("The key path."), "message": string("What is wrong and what is allowed."),
                ])],
            ]),
        ]),
    ] }

    private static func seconds(_ description: String) -> [String: Any] {
        ["type": "number", "description": description + " In seconds."]
    }

    private static var intOrPercent: [String: Any] { [
        "oneOf": [["type": "integer", "minimum": 0], ["type": "string", "pattern": "^[0-9]+%$"]],
    ] }
}
