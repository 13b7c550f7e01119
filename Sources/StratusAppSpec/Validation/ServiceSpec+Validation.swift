extension ServiceSpec {
    /// Variables that the orchestrator sets in every replica.
    public static let reservedVariables: Set<String> = ["PORT", "STRATUS_CONTROLPLANE", "STRATUS_INSTANCE_ID"]

    func validate(at path: SpecPath, into problems: inout ProblemList) {
        problems.require(AppSpec.isDNSLabel(name), path.key("name"), "\(quoted(name)) is not a valid service name; \(AppSpec.dnsLabelRule)")
        switch (product, command) {
        case (nil, nil):
            problems.add(path, "the service has neither product nor command; set product (a package executable to build) or command (a program to run)")
        case (.some, .some):
            problems.add(path.key("command"), "the service has both product and command; keep one of them")
        case (.some(let product), nil):
            problems.require(!product.isEmpty, path.key("product"), "the product name is empty; expected an executable product of the package")
        case (nil, .some(let command)):
            problems.require(!command.isEmpty, path.key("command"), "the command is empty; expected the path of a program")
        }
        problems.require(replicas >= 0, path.key("replicas"), "\(replicas) is below 0; expected a number of replicas from 0 up")
        for name in environment.keys.sorted() {
            let variablePath = path.key("environment").key(name)
            if Self.reservedVariables.contains(name) {
                problems.add(variablePath, "\(name) is set by the orchestrator for each replica; remove it")
            } else {
                problems.require(Self.isVariableName(name), variablePath,
                                 "\(quoted(name)) is not a variable name; expected letters, digits and \"_\", not starting with a digit")
            }
        }
        health.validate(at: path.key("health"), into: &problems)
        if let autoscale {
            autoscale.validate(at: path.key("autoscale"), into: &problems)
        }
        rollout.validate(at: path.key("rollout"), into: &problems)
        resources.validate(at: path.key("resources"), into: &problems)
        problems.require(drainPeriod >= .zero, path.key("drainPeriod"), "expected a duration of 0 or more")
        problems.require(terminationGracePeriod >= .zero, path.key("terminationGracePeriod"), "expected a duration of 0 or more")
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }
    }
}

extension HealthSpec {
    func validate(at path: SpecPath, into problems: inout ProblemList) {
        guard enabled else { return }
        for (key, value) in [("livenessPath", livenessPath), ("readinessPath", readinessPath)] {
            problems.require(value.hasPrefix("/"), path.key(key), "\(quoted(value)) does not start with \"/\"; expected an HTTP path such as /healthz")
        }
        problems.require(period > .zero, path.key("period"), "expected a duration above 0, such as 1s")
        problems.require(timeout > .zero, path.key("timeout"), "expected a duration above 0, such as 1s")
        problems.require(failureThreshold >= 1, path.key("failureThreshold"), "\(failureThreshold) is below 1; expected a count of 1 or more")
        problems.require(startupGrace >= .zero, path.key("startupGrace"), "expected a duration of 0 or more")
    }
}

extension AutoscaleSpec {
    func validate(at path: SpecPath, into problems: inout ProblemList) {
        problems.require(min >= 1, path.key("min"), "\(min) is below 1; expected 1 or more replicas")
        problems.require(max >= min, path.key("min"), "\(min) is above max \(max); expected min to be at most max")
        problems.require(targetCPUPercent >= 1, path.key("targetCPUPercent"), "\(targetCPUPercent) is below 1; expected a percentage of 1 or more")
        problems.require(scaleDownStabilization >= .zero, path.key("scaleDownStabilization"), "expected a duration of 0 or more, such as 5m")
    }
}

extension RolloutSpec {
    func validate(at path: SpecPath, into problems: inout ProblemList) {
        for (key, value) in [("maxSurge", maxSurge), ("maxUnavailable", maxUnavailable)] {
            switch value {
            case .count(let count):
                problems.require(count >= 0, path.key(key), "\(count) is below 0; expected a number of replicas of 0 or more, or a percentage such as 25%")
            case .percent(let percent):
                let upper = key == "maxUnavailable" ? 100 : Int.max
                problems.require((0...upper).contains(percent), path.key(key),
                                 "\(percent)% is out of range; expected a percentage from 0% \(upper == 100 ? "to 100%" : "up")")
            }
        }
        let bothZero = maxSurge.resolve(against: 100, roundingUp: true) == 0 && maxUnavailable.resolve(against: 100, roundingUp: false) == 0
        problems.require(!bothZero, path.key("maxUnavailable"),
                         "maxSurge and maxUnavailable are both 0, so no replica could be replaced; allow a surge or an unavailable replica")
    }
}

extension ResourcesSpec {
    func validate(at path: SpecPath, into problems: inout ProblemList) {
        if let request = requests.cpu, let limit = limits.cpu {
            problems.require(request <= limit, path.key("requests").key("cpu"), "\(request) is above the limit \(limit); expected a request of at most the limit")
        }
        if let request = requests.memory, let limit = limits.memory {
            problems.require(request <= limit, path.key("requests").key("memory"), "\(request) is above the limit \(limit); expected a request of at most the limit")
        }
    }
}
