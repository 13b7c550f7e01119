extension KitSettings {
    /// The variable that sets `controlPlane.endpoints`, comma-separated,
    /// when the configuration has no `controlPlane` section.
    public static let controlPlaneVariable = "STRATUS_CONTROLPLANE"

    /// Decodes the kit's sections from `loader`, applies
    /// `STRATUS_CONTROLPLANE`, and validates the result.
    ///
    /// - Throws: `ConfigurationError` naming the key, file and line of a
    ///   value that does not decode, or `StartupError` for a value that
    ///   decodes but is out of range.
    public static func load(from loader: ConfigurationLoader, environment: [String: String]) throws -> KitSettings {
        var settings = KitSettings()
        settings.server = try loader.load(ServerSettings.self, at: "server") ?? settings.server
        settings.log = try loader.load(LogSettings.self, at: "log") ?? settings.log
        settings.metrics = try loader.load(MetricsSettings.self, at: "metrics") ?? settings.metrics
        settings.tracing = try loader.load(TracingSettings.self, at: "tracing") ?? settings.tracing
        settings.controlPlane = try loader.load(ControlPlaneSettings.self, at: "controlPlane")
        settings.clients = try loader.load(ClientSettings.self, at: "clients") ?? settings.clients
        settings.shedding = try loader.load(SheddingSettings.self, at: "shedding") ?? settings.shedding
        settings.events = try loader.load(EventSettings.self, at: "events")
        settings.configCenter = try loader.load(ConfigCenterSettings.self, at: "configCenter")
        if settings.controlPlane == nil, let value = environment[controlPlaneVariable], !value.isEmpty {
            let endpoints = value.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
            for endpoint in endpoints where !endpoint.hasPrefix("http://") {
                throw StartupError(
                    "invalid value \(endpoint) in \(controlPlaneVariable); expected comma-separated http:// URLs such as http://127.0.0.1:7700"
                )
            }
            settings.controlPlane = ControlPlaneSettings(endpoints: endpoints)
        }
        try settings.validate()
        return settings
    }
}
