/// A sorted set of keys in unsigned byte order, stored as a list of sorted
/// chunks so an insert or removal moves at most one chunk of elements
/// rather than the whole set.
struct SortedKeys {
    private static let maxChunk = 512

    private var chunks: [[[UInt8]]] = []
    private(set) var count = 0

    /// Inserts `key`; does nothing when it is present.
    mutating func insert(_ key: [UInt8]) {
        guard !chunks.isEmpty else {
            chunks = [[key]]
            count = 1
            return
        }
        let chunk = chunkIndex(for: key)
        let position = Self.lowerBound(key, in: chunks[chunk])
        if position < chunks[chunk].count && chunks[chunk][position] == key { return }
        chunks[chunk].insert(key, at: position)
        count += 1
        if chunks[chunk].count > Self.maxChunk {
            let upper = Array(chunks[chunk][(Self.maxChunk / 2)...])
            chunks[chunk].removeSubrange((Self.maxChunk / 2)...)
            chunks.insert(upper, at: chunk + 1)
        }
    }

    /// Removes `key`; does nothing when it is absent.
    mutating func remove(_ key: [UInt8]) {
        guard !chunks.isEmpty else { return }
        let chunk = chunkIndex(for: key)
        let position = Self.lowerBound(key, in: chunks[chunk])
        guard position < chunks[chunk].count && chunks[chunk][position] == key else { return }
        chunks[chunk].remove(at: position)
        count -= 1
        if chunks[chunk].isEmpty {
            chunks.remove(at: chunk)
        }
    }

    /// Calls `body` with each key of `range` in ascending order until it returns false.
    func forEach(in range: KeyRange, _ body: ([UInt8]) -> Bool) {
        if case .key(let key) = range {
            if contains(key) { _ = body(key) }
            return
        }
        guard !chunks.isEmpty else { return }
        let start = range.start
        var chunk = chunkIndex(for: start)
        var position = Self.lowerBound(start, in: chunks[chunk])
        while chunk < chunks.count {
            let keys = chunks[chunk]
            while position < keys.count {
                let key = keys[position]
                guard range.contains(key) else { return }
                guard body(key) else { return }
                position += 1
            }
            chunk += 1
            position = 0
        }
    }

    func contains(_ key: [UInt8]) -> Bool {
        guard !chunks.isEmpty else { return false }
        let keys = chunks[chunkIndex(for: key)]
        let position = Self.lowerBound(key, in: keys)
        return position < keys.count && keys[position] == key
    }

    /// The chunk whose range holds `key`: the first whose last key is not
    /// below it, or the last chunk.
    private func chunkIndex(for key: [UInt8]) -> Int {
        var low = 0
        var high = chunks.count - 1
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle][chunks[middle].count - 1].lexicographicallyPrecedes(key) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    private static func lowerBound(_ key: [UInt8], in keys: [[UInt8]]) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle].lexicographicallyPrecedes(key) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
