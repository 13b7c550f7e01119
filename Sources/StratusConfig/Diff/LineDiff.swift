/// A shortest line diff by Myers' O(ND) algorithm ("An O(ND) Difference
/// Algorithm and Its Variations", Algorithmica 1, 1986), after the common
/// first and last lines are set aside.
enum LineDiff {
    /// The most trace entries (edits times diagonals) the diff keeps, 4 Mi
    /// integers or 32 MiB. A diff that needs more reports the whole middle
    /// part as removed and added.
    static let maximumTraceSize = 4 * 1024 * 1024

    /// Returns the removed and added lines that turn `old` into `new`.
    /// Within each run of changed lines the removals come first, as in a
    /// unified diff.
    static func changes(from old: [Substring], to new: [Substring]) -> [LineChange] {
        var prefix = 0
        while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix && suffix < new.count - prefix && old[old.count - 1 - suffix] == new[new.count - 1 - suffix] {
            suffix += 1
        }
        let oldMiddle = Array(old[prefix..<(old.count - suffix)])
        let newMiddle = Array(new[prefix..<(new.count - suffix)])
        return runs(oldMiddle, newMiddle).flatMap { run in
            let shifted = run.map { LineChange(kind: $0.kind, line: $0.line + prefix, text: $0.text) }
            return shifted.filter { $0.kind == .removed } + shifted.filter { $0.kind == .added }
        }
    }

    /// The edit script of the middle parts, lines numbered from 1, as runs
    /// of changes with no unchanged line inside a run.
    private static func runs(_ old: [Substring], _ new: [Substring]) -> [[LineChange]] {
        let offset = old.count + new.count
        guard let trace = forwardTrace(old, new) else {
            let removed = old.enumerated().map { LineChange(kind: .removed, line: $0.offset + 1, text: String($0.element)) }
            let added = new.enumerated().map { LineChange(kind: .added, line: $0.offset + 1, text: String($0.element)) }
            return [removed + added]
        }
        var x = old.count
        var y = new.count
        var runs: [[LineChange]] = [[]]
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
            let previousX = v[offset + previousK]
            let previousY = previousX - previousK
            if x > previousX && y > previousY && !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
            while x > previousX && y > previousY {
                x -= 1
                y -= 1
            }
            if d > 0 {
                let change = x == previousX
                    ? LineChange(kind: .added, line: y, text: String(new[y - 1]))
                    : LineChange(kind: .removed, line: x, text: String(old[x - 1]))
                runs[runs.count - 1].insert(change, at: 0)
            }
            x = previousX
            y = previousY
        }
        return runs.reversed().filter { !$0.isEmpty }
    }

    /// The furthest-reaching x on each diagonal k, recorded before each
    /// number of edits d, until the path reaches the end of both texts; nil
    /// when that needs more than `maximumTraceSize` entries.
    private static func forwardTrace(_ old: [Substring], _ new: [Substring]) -> [[Int]]? {
        let offset = old.count + new.count
        var v = [Int](repeating: 0, count: 2 * offset + 2)
        var trace: [[Int]] = []
        for d in 0...offset {
            guard (d + 1) * v.count <= maximumTraceSize else { return nil }
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < old.count && y < new.count && old[x] == new[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= old.count && y >= new.count {
                    return trace
                }
            }
        }
        return trace
    }
}
