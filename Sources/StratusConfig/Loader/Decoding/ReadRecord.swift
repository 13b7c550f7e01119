import Synchronization

/// The keys, variables and flags that decoding read, from which the
/// unknown keys and the suggestions for them are found.
struct ReadRecord: Sendable {
    /// Mapping entries (by key node id) that a decoder looked up or listed.
    var readEntries: Set<Int> = []
    /// Mappings and sequences that a decoder opened as a container. A node
    /// that an override replaced is never opened, so nothing below it is
    /// unknown.
    var openedNodes: Set<Int> = []
    /// Every key a decoder looked up, found or not, by the path of its
    /// mapping.
    var requestedKeys: [ConfigKeyPath: Set<String>] = [:]
    /// Environment variables that matched a key path a decoder read, with
    /// that path.
    var consumedVariables: [String: ConfigKeyPath] = [:]
    /// Indexes of the `--set` flags whose path a decoder read.
    var consumedFlags: Set<Int> = []

    mutating func merge(_ other: ReadRecord) {
        readEntries.formUnion(other.readEntries)
        openedNodes.formUnion(other.openedNodes)
        requestedKeys.merge(other.requestedKeys) { $0.union($1) }
        consumedVariables.merge(other.consumedVariables) { first, _ in first }
        consumedFlags.formUnion(other.consumedFlags)
    }
}

/// The reads of every load of one loader, which may run on several
/// threads at once.
final class ReadLog: Sendable {
    private let record = Mutex(ReadRecord())

    func merge(_ other: ReadRecord) {
        record.withLock { $0.merge(other) }
    }

    var snapshot: ReadRecord {
        record.withLock { $0 }
    }
}
