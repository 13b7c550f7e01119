/// The Prometheus Operator's objects: a ServiceMonitor for every Service of
/// the app, and a PrometheusRule with the alerts an on-call engineer needs
/// first.
struct MonitoringObjects {
    let naming: Naming

    func render() -> [ManifestObject] {
        let name = "\(naming.app)-alerts"
        let monitor = ManifestObject(kind: "ServiceMonitor", name: naming.app, value: .object(
            ("apiVersion", .string("monitoring.coreos.com/v1")),
            ("kind", .string("ServiceMonitor")),
            ("metadata", naming.metadata(naming.app, component: naming.app, role: "monitoring")),
            ("spec", .object(
                ("selector", .object(("matchLabels", .object(("app.kubernetes.io/part-of", .string(naming.app)))))),
                ("endpoints", .list([
                    .object(("port", .string("http")), ("path", .string("/metrics")), ("interval", .string("15s"))),
                    .object(("port", .string("admin")), ("path", .string("/metrics")), ("interval", .string("15s"))),
                ]))
            ))
        ))
        let namespace = naming.namespace
        let rules: [(String, String, String, String, String)] = [
            ("InstanceDown", "up{namespace=\"\(namespace)\"} == 0", "1m", "critical", "{{ $labels.pod }} has not answered a scrape for a minute."),
            (
                "HighErrorRate",
                "sum by (service) (rate(http_server_requests_total{namespace=\"\(namespace)\",status=~\"5..\"}[5m])) / sum by (service) (rate(http_server_requests_total{namespace=\"\(namespace)\"}[5m])) > 0.05",
                "5m", "warning", "More than 5% of the requests to {{ $labels.service }} fail with a 5xx status."
            ),
            (
                "HighLatency",
                "histogram_quantile(0.99, sum by (service, le) (rate(http_server_request_duration_seconds_bucket{namespace=\"\(namespace)\"}[5m]))) > 1",
                "10m", "warning", "The p99 latency of {{ $labels.service }} is above 1 s."
            ),
            (
                "CircuitBreakerOpen",
                "increase(stratus_service_client_breaker_opened_total{namespace=\"\(namespace)\"}[5m]) > 0",
                "0m", "warning", "A circuit breaker of {{ $labels.pod }} toward {{ $labels.service }} opened."
            ),
            (
                "PodCrashLooping",
                "max by (pod) (kube_pod_container_status_waiting_reason{namespace=\"\(namespace)\",reason=\"CrashLoopBackOff\"}) == 1",
                "5m", "critical", "{{ $labels.pod }} is crash-looping."
            ),
        ]
        let rule = ManifestObject(kind: "PrometheusRule", name: name, value: .object(
            ("apiVersion", .string("monitoring.coreos.com/v1")),
            ("kind", .string("PrometheusRule")),
            ("metadata", naming.metadata(name, component: naming.app, role: "monitoring")),
            ("spec", .object(("groups", .list([.object(
                ("name", .string(naming.app)),
                ("rules", .list(rules.map { alert, expression, duration, severity, summary in
                    .object(
                        ("alert", .string(alert)),
                        ("expr", .string(expression)),
                        ("for", .string(duration)),
                        ("labels", .object(("severity", .string(severity)))),
                        ("annotations", .object(("summary", .string(summary))))
                    )
                }))
            )]))))
        ))
        return [monitor, rule]
    }
}
