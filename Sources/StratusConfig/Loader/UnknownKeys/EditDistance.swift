/// Suggestions for misspelled keys, by edit distance.
enum EditDistance {
    /// Returns the optimal string alignment distance between two strings,
    /// ignoring case. Insertions, deletions, substitutions and swaps of two
    /// adjacent characters each count 1, so `prot` is 1 from `port`.
    static func distance(_ first: String, _ second: String) -> Int {
        let a = Array(first.lowercased())
        let b = Array(second.lowercased())
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        // rows[i][j] is the distance between a.prefix(i) and b.prefix(j).
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let substitution = a[i - 1] == b[j - 1] ? 0 : 1
                rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
                }
            }
        }
        return rows[a.count][b.count]
    }

    /// Returns the candidate closest to `text` when it is within a third of
    /// the text's length (at least 1, at most 3 edits). Of equally close
    /// candidates it returns the alphabetically first.
    static func nearest(to text: String, among candidates: some Sequence<String>) -> String? {
        let limit = max(1, min(3, text.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != text {
            let distance = distance(text, candidate)
            guard distance <= limit else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.candidate) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }
}
