import StratusConfig
import StratusNet

extension KitSettings {
    /// Checks the values that decoding alone cannot, naming the key at fault.
    ///
    /// - Throws: `StartupError`.
    public func validate() throws(StartupError) {
        try server.validate()
        try Self.check(tracing.sampleRate >= 0 && tracing.sampleRate <= 1, "tracing.sampleRate", tracing.sampleRate, "a number from 0 to 1, such as 0.01")
        if let endpoint = tracing.otlpEndpoint {
            try Self.check(endpoint.hasPrefix("http://"), "tracing.otlpEndpoint", endpoint, "an http:// URL such as http://127.0.0.1:4318")
        } else if tracing.sampleRate > 0 {
            throw StartupError("tracing.sampleRate is \(tracing.sampleRate) but tracing.otlpEndpoint is missing; set the OTLP/HTTP receiver, such as http://127.0.0.1:4318")
        }
        if let format = log.format {
            try Self.check(format == "json" || format == "console", "log.format", format, "json or console")
        }
        try Self.check((0...1).contains(shedding.cpuThreshold), "shedding.cpuThreshold", shedding.cpuThreshold, "a fraction from 0 to 1, such as 0.8")
        try clients.validate()
        try configCenter?.validate(hasControlPlane: controlPlane != nil)
        if let controlPlane {
            try Self.check(!controlPlane.endpoints.isEmpty, "controlPlane.endpoints", "[]", "at least one URL such as http://127.0.0.1:7700")
            for endpoint in controlPlane.endpoints {
                try Self.check(endpoint.hasPrefix("http://"), "controlPlane.endpoints", endpoint, "an http:// URL such as http://127.0.0.1:7700")
            }
            try Self.check(controlPlane.ttlSeconds >= 1 && controlPlane.ttlSeconds <= 3600, "controlPlane.ttlSeconds", controlPlane.ttlSeconds, "a whole number of seconds from 1 to 3600")
            try Self.check((1...10_000).contains(controlPlane.weight), "controlPlane.weight", controlPlane.weight, "a whole number from 1 to 10000")
        }
    }

    static func check(_ condition: Bool, _ key: String, _ value: Any, _ expected: String) throws(StartupError) {
        guard condition else {
            throw StartupError("invalid value \(value) for \(key); expected \(expected)")
        }
    }
}

extension ServerSettings {
    func validate() throws(StartupError) {
        try KitSettings.check((0...65535).contains(port), "server.port", port, "a port from 0 to 65535, 0 for any free port")
        do {
            _ = try SocketAddress(host: host, port: port)
        } catch {
            throw StartupError("invalid value \(host) for server.host; expected a numeric IPv4 or IPv6 address such as 127.0.0.1")
        }
        if let eventLoops {
            try KitSettings.check((1...256).contains(eventLoops), "server.eventLoops", eventLoops, "a whole number from 1 to 256")
        }
        let durations: [(String, Duration)] = [
            ("server.idleTimeout", idleTimeout), ("server.requestTimeout", requestTimeout),
            ("server.drainPeriod", drainPeriod), ("server.shutdownTimeout", shutdownTimeout),
        ]
        for (key, value) in durations {
            try KitSettings.check(value >= .zero, key, value, "a duration of zero or more, such as 5s")
        }
        try KitSettings.check(idleTimeout > .zero, "server.idleTimeout", idleTimeout, "a duration above zero, such as 60s")
        try KitSettings.check(requestTimeout > .zero, "server.requestTimeout", requestTimeout, "a duration above zero, such as 30s")
    }
}

extension ClientSettings {
    func validate() throws(StartupError) {
        try KitSettings.check(perTryTimeout > .zero, "clients.perTryTimeout", perTryTimeout, "a duration above zero, such as 2s")
        try KitSettings.check(totalTimeout > .zero, "clients.totalTimeout", totalTimeout, "a duration above zero, such as 10s")
        try KitSettings.check((1...10).contains(maxAttempts), "clients.maxAttempts", maxAttempts, "a whole number from 1 to 10")
    }

    /// The service-client configuration these settings describe.
    var clientConfiguration: ServiceClientConfiguration {
        var configuration = ServiceClientConfiguration()
        configuration.perTryTimeout = perTryTimeout
        configuration.totalTimeout = totalTimeout
        configuration.retry.maxAttempts = maxAttempts
        configuration.loadBalancing = loadBalancing
        return configuration
    }
}

extension ConfigCenterSettings {
    func validate(hasControlPlane: Bool) throws(StartupError) {
        guard hasControlPlane else {
            throw StartupError("the configCenter section needs a control plane; set controlPlane.endpoints or STRATUS_CONTROLPLANE, such as http://127.0.0.1:7700")
        }
        do {
            if let application {
                try NamespaceCoordinates.validate(name: application, part: "application")
            }
            try NamespaceCoordinates.validate(name: environment, part: "environment")
            for namespace in namespaces {
                try NamespaceCoordinates.validate(name: namespace, part: "namespace")
            }
        } catch {
            throw StartupError("invalid configCenter setting: \(error.message)")
        }
        try KitSettings.check(startTimeout > .zero, "configCenter.startTimeout", startTimeout, "a duration above zero, such as 5s")
    }
}
