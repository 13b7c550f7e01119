/// How topics and groups map onto JetStream streams, subjects and
/// consumers.
///
/// A topic is one stream with `partitions` subjects for keyed messages and
/// one for messages without a key. A group is one durable pull consumer per
/// subject. The keyed consumers allow one unacked message at a time, so
/// each key's messages stay in order.
struct JetStreamNames {
    let topic: String
    let partitions: Int

    /// Topics never contain '_', so replacing '.' keeps names distinct.
    var stream: String { "EVENTS_" + topic.replacingDots() }

    func keyedSubject(_ partition: Int) -> String { "stratus.events.\(topic).k\(partition)" }
    var unkeyedSubject: String { "stratus.events.\(topic).u" }
    var subjects: [String] { (0..<partitions).map(keyedSubject) + [unkeyedSubject] }

    /// Returns the subject of a message: its key's partition, or the unkeyed subject.
    func subject(forKey key: String?) -> String {
        guard let key else { return unkeyedSubject }
        return keyedSubject(Int(Self.fnv1a(key) % UInt64(partitions)))
    }

    /// Group names never contain '_', so the suffix keeps consumers distinct.
    func keyedConsumer(_ group: String, _ partition: Int) -> String { "\(group)_k\(partition)" }
    func unkeyedConsumer(_ group: String) -> String { "\(group)_u" }

    /// FNV-1a, 64-bit: stable across processes and versions, unlike
    /// Swift's seeded `Hasher`, so every client picks the same partition.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

extension String {
    fileprivate func replacingDots() -> String {
        String(map { $0 == "." ? "_" : $0 })
    }
}
