public import StratusAppSpec

/// The body of `PUT /api/v1/apps/{app}/services/{service}/scale`.
public struct ScaleRequest: Sendable, Hashable, Codable {
    public var replicas: Int

    public init(replicas: Int) {
        self.replicas = replicas
    }
}

/// The body of `GET /api/v1/apps`.
public struct AppList: Sendable, Hashable, Codable {
    public var apps: [String]

    public init(apps: [String]) {
        self.apps = apps
    }
}

/// The body of `GET /api/v1/apps/{app}`: the desired state.
public struct AppDocument: Sendable, Hashable, Codable {
    public var spec: AppSpec
    public var deployments: [DeploymentState]

    public init(spec: AppSpec, deployments: [DeploymentState]) {
        self.spec = spec
        self.deployments = deployments
    }
}

/// An error of the apps API. An invalid spec lists every problem.
public struct AppErrorBody: Sendable, Hashable, Codable {
    public struct Detail: Sendable, Hashable, Codable {
        /// invalid_argument, not_found, conflict or unavailable.
        public var code: String
        public var message: String
        public var problems: [SpecProblem]

        public init(code: String, message: String, problems: [SpecProblem] = []) {
            self.code = code
            self.message = message
            self.problems = problems
        }
    }

    public var error: Detail

    public init(error: Detail) {
        self.error = error
    }
}
