import StratusHTTP
import StratusTelemetry

/// Answers the operational endpoints (`/healthz`, `/readyz`, `/metrics`)
/// ahead of the service's own routes, and hands every other request to
/// them.
///
/// The operational endpoints skip the service's middleware: probes are not
/// shed under load, timed out, traced or written to the access log, so an
/// overloaded instance still answers its liveness probe.
struct OperationalResponder: HTTPResponder {
    static let livenessPath = "/healthz"
    static let readinessPath = "/readyz"
    static let metricsPath = "/metrics"
    /// The liveness body. Kubernetes and `stratus up` read only the status
    /// code. The body is the JSON that marmotedu/iam's services return and
    /// that its smoke test checks, so the IAM example stays compatible.
    static let livenessBody = Array(#"{"status":"ok"}"#.utf8)

    let readiness: Readiness
    let metrics: MetricsHandler?
    let service: any HTTPResponder

    func respond(to request: Request, context: RequestContext) async throws -> Response {
        let path = request.path
        guard path.utf8.count <= 8, request.method == .get || request.method == .head else {
            return try await service.respond(to: request, context: context)
        }
        switch path {
        case Self.livenessPath:
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: OutgoingBody(bytes: Self.livenessBody))
        case Self.readinessPath:
            let report = await readiness.report()
            return try .json(report, status: report.isReady ? .ok : .serviceUnavailable)
        case Self.metricsPath:
            guard let metrics else { break }
            return metrics.respond(to: request, context: context)
        default:
            break
        }
        return try await service.respond(to: request, context: context)
    }
}
