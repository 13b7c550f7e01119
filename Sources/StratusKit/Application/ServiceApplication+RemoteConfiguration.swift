extension ServiceApplication {
    /// Returns the config-center namespace `namespace` of this service's
    /// application and environment (the `configCenter` section), creating
    /// it on the first call. Every call for one namespace returns the same
    /// object.
    ///
    /// The service loads every namespace before its server starts serving,
    /// follows it while it runs, and stops following at shutdown. Each
    /// namespace adds the readiness check `config:<namespace>`, which fails
    /// until a release is in force: from the control plane, or from the
    /// `configCenter.cacheDirectory` when the control plane is down.
    ///
    /// ```swift
    /// let config = try app.remoteConfiguration(namespace: "application")
    /// config.onChange(of: "feature.newCheckout", as: Bool.self) { _, new in
    ///     checkout.useNewFlow = new ?? false
    /// }
    /// ```
    ///
    /// - Throws: `StartupError` when no control plane is configured or the
    ///   namespace name is invalid.
    public func remoteConfiguration(namespace: String = "application") throws(StartupError) -> RemoteConfiguration {
        if let existing = remoteConfigurations[namespace] {
            return existing
        }
        guard let controlPlane else {
            throw StartupError(
                "remote configuration \(namespace) needs a control plane; set controlPlane.endpoints or STRATUS_CONTROLPLANE, such as http://127.0.0.1:7700"
            )
        }
        let section = settings.configCenter ?? ConfigCenterSettings()
        var options = RemoteConfiguration.Options(
            application: section.application ?? name,
            environment: section.environment,
            namespace: namespace,
            instanceID: instanceID
        )
        options.labels = settings.controlPlane?.labels ?? [:]
        options.cacheDirectory = section.cacheDirectory
        options.startTimeout = section.startTimeout
        do {
            try options.coordinates.validate()
        } catch {
            throw StartupError("invalid remote configuration: \(error.message)")
        }
        let configuration = RemoteConfiguration(client: ConfigCenterClient(controlPlane: controlPlane), options: options, logger: logger)
        remoteConfigurations[namespace] = configuration
        let coordinates = options.coordinates
        addReadinessCheck("config:\(namespace)") {
            guard configuration.isLoaded else {
                throw StartupError("no release of \(coordinates) is in force yet: the control plane has not delivered one and the cache has none")
            }
        }
        return configuration
    }

    /// Creates the namespaces the `configCenter` section lists.
    func addConfiguredNamespaces() throws(StartupError) {
        for namespace in settings.configCenter?.namespaces ?? [] {
            _ = try remoteConfiguration(namespace: namespace)
        }
    }
}
