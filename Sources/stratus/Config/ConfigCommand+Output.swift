import Foundation
import StratusConfig

extension ConfigCommand {
    /// Prints a response as indented JSON for `--output json`, or as the
    /// text tables of `ConfigTables`.
    static func render(_ value: some Encodable, _ options: ConfigOptions) throws -> String {
        if try options.wantsJSON() {
            let encoder = ConfigJSON.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        return ConfigTables.text(for: value)
    }
}

/// The text that `stratus config` prints for each response.
enum ConfigTables {
    static func text(for value: Any) -> String {
        switch value {
        case let info as NamespaceInfo: return namespace(info, draft: nil)
        case let list as NamespaceList: return namespaces(list)
        case let draft as Draft: return content(draft.content) + (draft.changed ? "\n(draft differs from the main release; publish it)" : "")
        case let release as Release: return self.release(release)
        case let history as ReleaseHistory: return self.history(history)
        case let diff as ReleaseDiff: return self.diff(diff)
        case let head as ReleaseHead: return self.head(head)
        case let log as AuditLog: return audit(log)
        case let item as ConfigItem: return item.value
        default: return "\(value)"
        }
    }

    static func namespace(_ info: NamespaceInfo, draft: Draft?) -> String {
        var lines = [
            "namespace  \(info.application)/\(info.environment)/\(info.namespace) (\(info.format.rawValue)\(info.schema == nil ? "" : ", with a schema"))",
            head(info.head),
        ]
        if let draft {
            lines.append("draft      \(draft.changed ? "differs from the main release" : "same as the main release"), edited by \(draft.updatedBy) at \(timestamp(draft.updatedAt))")
            lines.append("")
            lines.append(content(draft.content))
        }
        return lines.joined(separator: "\n")
    }

    static func head(_ head: ReleaseHead) -> String {
        var text = "release    main \(head.mainRelease == 0 ? "none" : "\(head.mainRelease)"), latest \(head.latestRelease)"
        if let gray = head.gray {
            text += ", gray \(gray.release) to \(gray.selector)"
        }
        return text
    }

    static func namespaces(_ list: NamespaceList) -> String {
        guard !list.namespaces.isEmpty else { return "no namespaces in \(list.application)/\(list.environment)" }
        let rows = list.namespaces.map { info in
            [info.namespace, info.format.rawValue, info.head.mainRelease == 0 ? "-" : "\(info.head.mainRelease)", info.head.gray.map { "\($0.release)" } ?? "-", info.draftChanged ? "yes" : "no"]
        }
        return table(["NAMESPACE", "FORMAT", "MAIN", "GRAY", "DRAFT CHANGED"], rows)
    }

    static func content(_ content: ConfigContent) -> String {
        guard content.format == .keyValue else {
            return content.document.map { $0.isEmpty ? "(empty document)" : $0 } ?? ""
        }
        guard !content.items.isEmpty else { return "(no items)" }
        return table(["KEY", "VALUE", "SECRET"], content.items.map { [$0.key, $0.value, $0.secret ? "yes" : ""] })
    }

    static func release(_ release: Release) -> String {
        var lines = ["release \(release.number) of \(release.coordinates) (\(release.kind.rawValue)) by \(release.author) at \(timestamp(release.createdAt))"]
        if !release.comment.isEmpty { lines.append("comment: \(release.comment)") }
        if let gray = release.gray { lines.append("gray to: \(gray)") }
        lines.append("")
        lines.append(content(release.content))
        return lines.joined(separator: "\n")
    }

    static func history(_ history: ReleaseHistory) -> String {
        guard !history.releases.isEmpty else { return "no releases in \(history.application)/\(history.environment)/\(history.namespace)" }
        let rows = history.releases.map { summary in
            let instances = summary.instances.map { "\($0.instance)(\($0.status.rawValue))" }.joined(separator: " ")
            var comment = summary.comment
            if let target = summary.rollbackOf, comment.isEmpty { comment = "rollback to \(target)" }
            return ["\(summary.number)", summary.state.rawValue, summary.kind.rawValue, summary.author, timestamp(summary.createdAt), comment, instances]
        }
        return table(["RELEASE", "STATE", "KIND", "AUTHOR", "TIME", "COMMENT", "INSTANCES"], rows)
    }

    static func diff(_ diff: ReleaseDiff) -> String {
        let title = "diff \(diff.from) -> \(diff.to)"
        guard !diff.isEmpty else { return "\(title): no changes" }
        if diff.format == .keyValue {
            let rows = diff.items.map { [$0.kind.rawValue, $0.key, $0.old ?? "", $0.new ?? ""] }
            return title + "\n" + table(["CHANGE", "KEY", "OLD", "NEW"], rows)
        }
        let lines = diff.lines.map { ($0.kind == .added ? "+" : "-") + String(format: "%5d  ", $0.line) + $0.text }
        return ([title] + lines).joined(separator: "\n")
    }

    static func audit(_ log: AuditLog) -> String {
        guard !log.entries.isEmpty else { return "no audit entries" }
        let rows = log.entries.map { entry in
            [timestamp(entry.time), entry.author, entry.action.rawValue, "\(entry.application)/\(entry.environment)/\(entry.namespace)", entry.key ?? entry.release.map { "release \($0)" } ?? "", entry.detail]
        }
        return table(["TIME", "AUTHOR", "ACTION", "NAMESPACE", "SUBJECT", "DETAIL"], rows)
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// Columns padded to their widest cell, the last one not padded.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows.map { $0.map { $0.replacingOccurrences(of: "\n", with: "\\n") } }
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
