import StratusDiscovery

extension AppSpec {
    /// Returns every problem of the spec's values, each naming its field:
    /// names, counts, paths, bounds, duplicate services, unknown and cyclic
    /// dependencies. An empty result means the spec can run.
    ///
    /// - Parameter skipping: indexes of services that did not decode, whose
    ///   problems were reported already.
    public func validate(skipping skipped: Set<Int> = []) -> [SpecProblem] {
        var problems = ProblemList()
        problems.require(Self.isDNSLabel(name), SpecPath("name"), "\(quoted(name)) is not a valid app name; \(Self.dnsLabelRule)")
        problems.require(!services.isEmpty, SpecPath("services"), "the app has no services; expected a list of at least one service")
        let servicesPath = SpecPath("services")
        var firstIndex: [String: Int] = [:]
        for (index, service) in services.enumerated() where !skipped.contains(index) {
            let path = servicesPath.index(index)
            service.validate(at: path, into: &problems)
            if let earlier = firstIndex[service.name] {
                problems.add(path.key("name"), "\(quoted(service.name)) is also the name of services[\(earlier)]; service names must be unique")
            } else {
                firstIndex[service.name] = index
            }
        }
        validateDependencies(skipping: skipped, into: &problems)
        if let gateway {
            Self.validateListen(gateway.listen, at: SpecPath("gateway.listen"), into: &problems)
            problems.require(gateway.drainPeriod >= .zero, SpecPath("gateway.drainPeriod"), "expected a duration of 0 or more")
        }
        Self.validateListen(controlPlane.listen, at: SpecPath("controlPlane.listen"), into: &problems)
        problems.require(Self.isStoreSpec(controlPlane.store), SpecPath("controlPlane.store"),
                         "\(quoted(controlPlane.store)) is not a store; expected embedded, embedded:DIR or memory")
        problems.require(autoscaler.syncPeriod > .zero, SpecPath("autoscaler.syncPeriod"), "expected a duration above 0, such as 15s")
        problems.require((0..<1).contains(autoscaler.tolerance), SpecPath("autoscaler.tolerance"),
                         "\(autoscaler.tolerance) is out of range; expected a fraction from 0 up to but not including 1, such as 0.1")
        return problems.problems
    }

    /// Reports dependencies on unknown services or on the service itself,
    /// and each cycle once, at the dependency that closes it.
    private func validateDependencies(skipping skipped: Set<Int>, into problems: inout ProblemList) {
        let names = Set(services.map(\.name))
        let known = names.sorted().joined(separator: ", ")
        for (index, service) in services.enumerated() where !skipped.contains(index) {
            for (position, dependency) in service.dependsOn.enumerated() {
                let path = SpecPath("services").index(index).key("dependsOn").index(position)
                if dependency == service.name {
                    problems.add(path, "\(quoted(dependency)) is the service itself; a service cannot depend on itself")
                } else if !names.contains(dependency) {
                    problems.add(path, "no service is named \(quoted(dependency)); expected one of: \(known)")
                }
            }
        }
        for cycle in DependencyGraph(services: services).cycles() {
            let path = SpecPath("services").index(cycle.serviceIndex).key("dependsOn").index(cycle.dependencyIndex)
            problems.add(path, "dependency cycle \(cycle.names.joined(separator: " -> ")); remove one of these dependencies")
        }
    }

    static let dnsLabelRule = "expected 1 to 63 lowercase letters, digits or \"-\", starting with a letter and not ending with \"-\""

    static func isDNSLabel(_ name: String) -> Bool {
        (try? ServiceInstance.validateServiceName(name)) != nil
    }

    static func validateListen(_ listen: String, at path: SpecPath, into problems: inout ProblemList) {
        problems.require(ListenAddress(parsing: listen) != nil, path,
                         "\(quoted(listen)) is not an address and port; expected ADDRESS:PORT such as 127.0.0.1:8080, with a port from 0 to 65535")
    }

    static func isStoreSpec(_ text: String) -> Bool {
        text == "embedded" || text == "memory" || (text.hasPrefix("embedded:") && text.count > "embedded:".count)
    }
}

/// Quotes a value the way problems show it.
func quoted(_ text: String) -> String {
    "\"\(text)\""
}
