/// Computes a `ReleaseDiff` between two contents of one namespace.
package enum ContentDiffer {
    /// Compares `old` and `new`. Item values are compared as given, so the
    /// control plane passes secret values in their sealed form: a secret
    /// reads as changed exactly when it was set again. Secret values are
    /// masked in the result.
    package static func diff(from old: ConfigContent, to new: ConfigContent, fromLabel: String, toLabel: String) -> ReleaseDiff {
        var diff = ReleaseDiff(from: fromLabel, to: toLabel, format: new.format)
        if new.format == .keyValue {
            diff.items = itemChanges(old.items, new.items)
        } else {
            diff.lines = LineDiff.changes(from: lines(of: old.document ?? ""), to: lines(of: new.document ?? ""))
        }
        return diff
    }

    static func lines(of text: String) -> [Substring] {
        guard !text.isEmpty else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private static func itemChanges(_ old: [ConfigItem], _ new: [ConfigItem]) -> [ItemChange] {
        let before = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { $1 })
        let after = Dictionary(new.map { ($0.key, $0) }, uniquingKeysWith: { $1 })
        var changes: [ItemChange] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            let previous = before[key]
            let current = after[key]
            let secret = previous?.secret == true || current?.secret == true
            let shown = { (item: ConfigItem?) in item.map { $0.secret ? ConfigItem.maskedValue : $0.value } }
            switch (previous, current) {
            case (nil, let current?):
                changes.append(ItemChange(key: key, kind: .added, old: nil, new: shown(current), secret: secret))
            case (let previous?, nil):
                changes.append(ItemChange(key: key, kind: .removed, old: shown(previous), new: nil, secret: secret))
            case (let previous?, let current?) where previous != current:
                changes.append(ItemChange(key: key, kind: .changed, old: shown(previous), new: shown(current), secret: secret))
            default:
                break
            }
        }
        return changes
    }
}
