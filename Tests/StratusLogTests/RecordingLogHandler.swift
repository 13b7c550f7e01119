import StratusLog
import Synchronization

/// One event as a `RecordingLogHandler` received it, metadata already merged.
struct RecordedEvent: Sendable {
    let level: Logger.Level
    let message: String
    let metadata: Logger.Metadata
    let source: String
}

/// Collects the events of every handler made from it.
final class LogRecorder: Sendable {
    private let recorded = Mutex<[RecordedEvent]>([])

    var events: [RecordedEvent] {
        recorded.withLock { $0 }
    }

    func append(_ event: RecordedEvent) {
        recorded.withLock { $0.append(event) }
    }

    /// A logger whose handler records into this recorder.
    func makeLogger(
        label: String = "test",
        metadata: Logger.Metadata = [:],
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> Logger {
        Logger(
            label: label,
            factory: { _, provider in
                RecordingLogHandler(recorder: self, metadata: metadata, metadataProvider: provider)
            },
            metadataProvider: metadataProvider
        )
    }
}

/// A handler that stores events in memory, merging metadata in the order
/// `LogHandler` documents.
struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level,
        message: Logger.Message,
        metadata callSite: Logger.Metadata?,
        source: String,
        file: String,
        function: String,
        line: UInt
    ) {
        recorder.append(
            RecordedEvent(
                level: level,
                message: message.description,
                metadata: mergedMetadata(callSite: callSite),
                source: source
            )
        )
    }
}
