/// The Prometheus text exposition format, version 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/).
public enum PrometheusExposition {
    /// The `Content-Type` of the exposition.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Renders families in the order given, each with `# HELP` and `# TYPE`.
    static func render(_ families: [FamilySnapshot]) -> String {
        var text = ""
        text.reserveCapacity(families.count * 256)
        for family in families {
            text += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.type.rawValue)\n"
            for series in family.series {
                render(series, name: family.name, into: &text)
            }
        }
        return text
    }

    private static func render(_ series: SeriesSnapshot, name: String, into text: inout String) {
        switch series.value {
        case .number(let value):
            appendSample(name, labels: labelText(series.labels), value: formatValue(value), into: &text)
        case .histogram(let upperBounds, let cumulativeCounts, let sum):
            let bounds = upperBounds.map(formatValue) + ["+Inf"]
            for (bound, count) in zip(bounds, cumulativeCounts) {
                let labels = labelText(series.labels, extra: ("le", bound))
                appendSample(name + "_bucket", labels: labels, value: String(count), into: &text)
            }
            let labels = labelText(series.labels)
            appendSample(name + "_sum", labels: labels, value: formatValue(sum), into: &text)
            appendSample(name + "_count", labels: labels, value: String(cumulativeCounts.last ?? 0), into: &text)
        }
    }

    private static func appendSample(_ name: String, labels: String, value: String, into text: inout String) {
        text += name
        text += labels
        text += " "
        text += value
        text += "\n"
    }

    /// Formats `{name="value",...}`, or nothing for an empty label set.
    static func labelText(_ labels: MetricLabels, extra: (String, String)? = nil) -> String {
        var pairs = labels.pairs.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }
        if let (name, value) = extra {
            pairs.append("\(name)=\"\(escapeLabelValue(value))\"")
        }
        return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
    }

    /// Escapes backslash, double quote and line feed, as label values require.
    static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else {
            return value
        }
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Escapes backslash and line feed, as `# HELP` text requires.
    static func escapeHelp(_ help: String) -> String {
        var escaped = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Formats a sample value or bucket bound as Prometheus parses it: `NaN`,
    /// `+Inf`, `-Inf`, whole numbers without a fraction (`10`, as the `le`
    /// labels of other Prometheus clients read), others in Swift's shortest
    /// round-trip form (`0.005`, `1e-07`).
    static func formatValue(_ value: Double) -> String {
        if value.isNaN {
            return "NaN"
        }
        if value.isInfinite {
            return value > 0 ? "+Inf" : "-Inf"
        }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}
