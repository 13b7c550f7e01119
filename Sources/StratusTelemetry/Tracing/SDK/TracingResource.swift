/// The entity that produces spans: the service and its instance, sent once
/// per export as the OTLP resource.
public struct TracingResource: Sendable {
    /// `service.name`, such as `iam-apiserver`.
    public var serviceName: String
    /// `service.instance.id`: unique per instance, so a backend can tell
    /// replicas apart.
    public var serviceInstanceID: String?
    /// `service.version`, when known.
    public var serviceVersion: String?
    /// Further resource attributes (`deployment.environment.name`).
    public var attributes: SpanAttributes

    public init(
        serviceName: String,
        serviceInstanceID: String? = nil,
        serviceVersion: String? = nil,
        attributes: SpanAttributes = [:]
    ) {
        self.serviceName = serviceName
        self.serviceInstanceID = serviceInstanceID
        self.serviceVersion = serviceVersion
        self.attributes = attributes
    }

    /// Every resource attribute, including `telemetry.sdk.*`.
    public var allAttributes: SpanAttributes {
        var all = attributes
        all["service.name"] = serviceName
        all["service.instance.id"] = serviceInstanceID
        all["service.version"] = serviceVersion
        all["telemetry.sdk.name"] = TracingScope.sdkName
        all["telemetry.sdk.language"] = "swift"
        all["telemetry.sdk.version"] = TracingScope.version
        return all
    }
}

/// The OTLP instrumentation scope of every span this module records.
public enum TracingScope {
    public static let name = "StratusTelemetry"
    public static let sdkName = "stratus"
    public static let version = "0.1.0"
}
