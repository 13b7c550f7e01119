/// The naming rules of the Prometheus data model
/// (https://prometheus.io/docs/concepts/data_model/).
enum MetricNames {
    /// Checks `name` against `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func validateMetricName(_ name: String) throws(MetricsError) {
        guard isValid(name, allowsColon: true) else {
            throw MetricsError(
                .invalidMetricName,
                "invalid metric name \"\(name)\": expected [a-zA-Z_:][a-zA-Z0-9_:]*, such as http_server_requests_total"
            )
        }
    }

    /// Checks `name` against `[a-zA-Z_][a-zA-Z0-9_]*`, without the `__` prefix
    /// that Prometheus keeps for its own labels.
    static func validateLabelName(_ name: String, metric: String) throws(MetricsError) {
        guard isValid(name, allowsColon: false) else {
            throw MetricsError(
                .invalidLabelName,
                "invalid label name \"\(name)\" on metric \"\(metric)\": expected [a-zA-Z_][a-zA-Z0-9_]*"
            )
        }
        guard !name.hasPrefix("__") else {
            throw MetricsError(
                .invalidLabelName,
                "invalid label name \"\(name)\" on metric \"\(metric)\": names starting with __ are reserved for Prometheus"
            )
        }
    }

    private static func isValid(_ name: String, allowsColon: Bool) -> Bool {
        var bytes = name.utf8.makeIterator()
        guard let first = bytes.next(), isLetter(first) || first == UInt8(ascii: "_") || (allowsColon && first == UInt8(ascii: ":")) else {
            return false
        }
        while let byte = bytes.next() {
            guard isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || (allowsColon && byte == UInt8(ascii: ":")) else {
                return false
            }
        }
        return true
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
