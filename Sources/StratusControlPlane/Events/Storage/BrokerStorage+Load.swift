import StratusStore

extension BrokerStorage {
    /// Reads every retained message, each topic's last sequence and each
    /// group's settled state.
    func load() throws(StoreError) -> BrokerSnapshot {
        var snapshot = BrokerSnapshot()
        try forEachRow("SELECT topic, sequence, published_at, key, headers, payload FROM messages ORDER BY topic, sequence") { row in
            let key = row.bytes(3)
            snapshot.topics[text(row, 0), default: []].append(BrokerSnapshot.Message(
                sequence: UInt64(row.int64(1)),
                publishedAt: row.int64(2),
                key: key.isEmpty ? nil : String(decoding: key, as: UTF8.self),
                headers: row.bytes(4),
                payload: row.bytes(5)
            ))
        }
        try forEachRow("SELECT topic, last_sequence FROM topics") { row in
            snapshot.lastSequences[text(row, 0)] = UInt64(row.int64(1))
        }
        try forEachRow("SELECT topic, name, floor FROM groups") { row in
            snapshot.groups[text(row, 0), default: [:]][text(row, 1), default: .init()].floor = UInt64(row.int64(2))
        }
        try forEachRow("SELECT topic, name, sequence FROM settled") { row in
            snapshot.groups[text(row, 0), default: [:]][text(row, 1), default: .init()].settledAbove.insert(UInt64(row.int64(2)))
        }
        try forEachRow("SELECT topic, name, sequence, count FROM attempts") { row in
            snapshot.groups[text(row, 0), default: [:]][text(row, 1), default: .init()].attempts[UInt64(row.int64(2))] = Int(row.int64(3))
        }
        return snapshot
    }

    private func forEachRow(_ sql: String, _ body: (SQLiteRow) throws(StoreError) -> Void) throws(StoreError) {
        let statement = try database.prepare(sql)
        defer { statement.finalize() }
        try statement.forEachRow(body)
    }

    private func text(_ row: SQLiteRow, _ column: Int32) -> String {
        String(decoding: row.bytes(column), as: UTF8.self)
    }
}
