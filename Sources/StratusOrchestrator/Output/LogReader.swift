import Foundation

/// Reads the log files of one service's replicas, `<service>-<n>.log`,
/// returning the lines added since the previous read, merged in time order.
public struct LogReader {
    public let directory: String
    public let service: String
    /// The bytes read so far of each file.
    public private(set) var files: [String: UInt64] = [:]

    public init(directory: String, service: String) {
        self.directory = directory
        self.service = service
    }

    /// Returns the new complete lines of every replica's file, oldest first.
    public mutating func readNew() -> [(replica: String, line: LogLine)] {
        var lines: [(replica: String, line: LogLine)] = []
        for name in replicaFiles() {
            let path = "\(directory)/\(name)"
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            defer { try? handle.close() }
            let offset = files[name] ?? 0
            try? handle.seek(toOffset: offset)
            let data = (try? handle.readToEnd()) ?? Data()
            guard let end = data.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            files[name] = offset + UInt64(end - data.startIndex + 1)
            let replica = String(name.dropLast(".log".count))
            for text in String(decoding: data[...end], as: UTF8.self).split(separator: "\n") {
                if let line = LogLine(parsing: text) {
                    lines.append((replica, line))
                }
            }
        }
        return lines.enumerated().sorted { lhs, rhs in
            lhs.element.line.time != rhs.element.line.time ? lhs.element.line.time < rhs.element.line.time : lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Returns the names of the files `<service>-<n>.log` in the directory.
    private func replicaFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            guard name.hasPrefix(service + "-"), name.hasSuffix(".log") else { return false }
            let ordinal = name.dropFirst(service.count + 1).dropLast(".log".count)
            return !ordinal.isEmpty && ordinal.allSatisfy(\.isNumber)
        }.sorted()
    }
}
