/// What `stratus render kubernetes` takes besides the app spec.
public struct RenderOptions: Sendable, Hashable {
    /// The namespace every object goes in. Default: the app's name.
    public var namespace: String?
    /// Prepended to each image name, such as `registry.internal:5000/iam/`.
    public var imagePrefix = ""
    /// The image tag; `latest` is rejected, because a rollout could not
    /// tell two builds apart.
    public var tag: String
    /// An etcd cluster to use instead of rendering one, as client URLs.
    public var etcdEndpoints: [String]?
    /// A NATS server to use instead of rendering a JetStream cluster.
    public var natsURL: String?
    /// Whether to render a ServiceMonitor and a PrometheusRule for the
    /// Prometheus Operator.
    public var prometheusOperator = false

    public init(tag: String) {
        self.tag = tag
    }
}

/// Why a rendering stopped; nothing is written when it throws.
public struct RenderError: Error, Sendable, Hashable, CustomStringConvertible {
    public let problems: [String]

    public init(_ problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        if problems.count == 1 { return problems[0] }
        return "\(problems.count) problems:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
