import StratusLog

/// Writes access log lines through a `JSONLogHandler` with the fields of an
/// `AccessLogEntry` encoded directly, producing the same bytes as logging
/// them as call-site metadata: same member order, same numbers, same
/// redaction, same merge with the handler's metadata and provider.
///
/// It is faster because the field names are encoded once and their order
/// and sensitivity are decided once, at init. It is a class so that passing
/// it around retains one reference instead of copying the handler's fields.
final class AccessLogJSONWriter: Sendable {
    /// One field with what is decided about it at init. It contains no
    /// reference, so walking the columns for a line retains nothing.
    private struct Column: Sendable {
        let field: AccessLogEntry.Field
        /// The quoted key and its `:`, as a range of `encodedKeys`.
        let encodedKey: Range<Int>
        /// Whether the handler's redactor replaces the field's value.
        let isSensitive: Bool

        var key: String { field.key }
    }

    /// The module name that `Logger` would report as the event's source.
    private static let source = String(#fileID.prefix { $0 != "/" })

    private let handler: JSONLogHandler
    /// Every field, sorted by key as the handler sorts metadata.
    private let columns: [Column]
    /// The encoded keys of all columns, one after another.
    private let encodedKeys: [UInt8]

    init(handler: JSONLogHandler) {
        self.handler = handler
        let redactor = handler.pipeline.redactor
        var encodedKeys: [UInt8] = []
        columns = AccessLogEntry.Field.allCases
            .sorted { $0.key < $1.key }
            .map { field in
                let start = encodedKeys.count
                encodedKeys += JSONLineEncoder.encodedKey(field.key)
                return Column(field: field, encodedKey: start..<encodedKeys.count, isSensitive: redactor.isSensitive(field.key))
            }
        self.encodedKeys = encodedKeys
    }

    /// Writes `entry` at info level, when the handler's level allows it.
    func write(_ entry: AccessLogEntry) {
        guard Logger.Level.info >= handler.logLevel else { return }
        handler.pipeline.write(
            level: .info,
            message: AccessLogEntry.message,
            metadata: { handler.mergedMetadata(callSite: nil) },
            source: Self.source
        ) { record, write in
            JSONLogHandler.writeLine(record, to: write) { encoder in
                append(entry, mergedWith: record.metadata, to: &encoder)
            }
        }
    }

    /// Appends the entry's fields and `other` metadata, the handler's own and
    /// its provider's, already redacted, in one sorted sequence. A field
    /// replaces an entry of `other` under the same key, as call-site
    /// metadata does.
    private func append(_ entry: AccessLogEntry, mergedWith other: Logger.Metadata, to encoder: inout JSONLineEncoder) {
        guard !other.isEmpty else {
            for column in columns {
                append(column, of: entry, to: &encoder)
            }
            return
        }
        let present = columns.filter { entry.contains($0.field) }
        let remaining = other
            .filter { item in !present.contains { $0.key == item.key } }
            .sorted { $0.key < $1.key }
        var next = remaining.startIndex
        for column in present {
            while next < remaining.endIndex && remaining[next].key < column.key {
                appendMember(remaining[next], of: other, to: &encoder)
                next += 1
            }
            append(column, of: entry, to: &encoder)
        }
        for item in remaining[next...] {
            appendMember(item, of: other, to: &encoder)
        }
    }

    private func appendMember(_ item: (key: String, value: Logger.MetadataValue), of metadata: Logger.Metadata, to encoder: inout JSONLineEncoder) {
        // No field name is a fixed field or carries the collision prefix, so
        // the collision rule only needs the other metadata.
        guard let name = JSONLogHandler.memberName(forMetadataKey: item.key, in: metadata) else { return }
        encoder.appendMember(name, value: item.value)
    }

    /// Appends the member of `column` when the entry has a value for it.
    private func append(_ column: Column, of entry: AccessLogEntry, to encoder: inout JSONLineEncoder) {
        guard entry.contains(column.field) else { return }
        encodedKeys.withUnsafeBufferPointer { keys in
            encoder.appendKey(encoded: UnsafeBufferPointer(rebasing: keys[column.encodedKey]))
        }
        guard !column.isSensitive else {
            encoder.appendString(Redactor.replacement)
            return
        }
        // `contains` checked that the optional fields are set. Unwrapping
        // them without a default avoids building a string per field.
        switch column.field {
        case .httpMethod: encoder.appendString(entry.method)
        case .httpRoute: if let route = entry.route { encoder.appendString(route) }
        case .urlPath: encoder.appendString(entry.path)
        case .httpStatus: encoder.appendInteger(entry.status)
        case .durationMilliseconds: encoder.appendMilliseconds(microseconds: entry.durationMicroseconds)
        case .responseBodySize: if let size = entry.bodySize { encoder.appendInteger(size) }
        case .requestID: if let id = entry.requestID { encoder.appendString(id) }
        case .clientAddress: if let address = entry.clientAddress { encoder.appendString(address) }
        case .errorType: if let type = entry.errorType { encoder.appendString(type) }
        }
    }
}
