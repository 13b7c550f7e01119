@testable import StratusConfig
import Testing

@Suite struct ContentDifferTests {
    @Test func keyValueChangesPerKey() {
        let old = ConfigContent(format: .keyValue, items: [
            ConfigItem(key: "a", value: "1"), ConfigItem(key: "b", value: "2"), ConfigItem(key: "p", value: "sealed-1", secret: true),
        ])
        let new = ConfigContent(format: .keyValue, items: [
            ConfigItem(key: "b", value: "3"), ConfigItem(key: "c", value: "4"), ConfigItem(key: "p", value: "sealed-2", secret: true),
        ])
        let diff = ContentDiffer.diff(from: old, to: new, fromLabel: "1", toLabel: "draft")
        #expect(diff.items == [
            ItemChange(key: "a", kind: .removed, old: "1", new: nil, secret: false),
            ItemChange(key: "b", kind: .changed, old: "2", new: "3", secret: false),
            ItemChange(key: "c", kind: .added, old: nil, new: "4", secret: false),
            ItemChange(key: "p", kind: .changed, old: "******", new: "******", secret: true),
        ])
        #expect(diff.from == "1")
        #expect(diff.to == "draft")
    }

    @Test func secretFlagChangeIsAChangeAndMasked() {
        let old = ConfigContent(format: .keyValue, items: [ConfigItem(key: "p", value: "plain")])
        let new = ConfigContent(format: .keyValue, items: [ConfigItem(key: "p", value: "sealed", secret: true)])
        let diff = ContentDiffer.diff(from: old, to: new, fromLabel: "1", toLabel: "2")
        #expect(diff.items == [ItemChange(key: "p", kind: .changed, old: "plain", new: "******", secret: true)])
    }

    @Test func identicalContentHasNoChanges() {
        let content = ConfigContent(format: .yaml, document: "a: 1\nb: 2\n")
        #expect(ContentDiffer.diff(from: content, to: content, fromLabel: "1", toLabel: "2").isEmpty)
    }

    @Test func documentChangesPerLine() {
        let old = ConfigContent(format: .yaml, document: "a: 1\nb: 2\nc: 3\nd: 4\n")
        let new = ConfigContent(format: .yaml, document: "a: 1\nb: 20\nc: 3\nd: 4\ne: 5\n")
        let diff = ContentDiffer.diff(from: old, to: new, fromLabel: "1", toLabel: "2")
        #expect(diff.lines == [
            LineChange(kind: .removed, line: 2, text: "b: 2"),
            LineChange(kind: .added, line: 2, text: "b: 20"),
            LineChange(kind: .added, line: 5, text: "e: 5"),
        ])
    }

    @Test func lineDiffFromAndToEmpty() {
        let lines: [Substring] = ["x", "y"]
        #expect(LineDiff.changes(from: [], to: lines) == [LineChange(kind: .added, line: 1, text: "x"), LineChange(kind: .added, line: 2, text: "y")])
        #expect(LineDiff.changes(from: lines, to: []) == [LineChange(kind: .removed, line: 1, text: "x"), LineChange(kind: .removed, line: 2, text: "y")])
        #expect(LineDiff.changes(from: [], to: []).isEmpty)
    }

    /// Applying the changes to the old lines gives the new lines, for many
    /// random pairs: the diff is a correct edit script.
    @Test func lineDiffReconstructsNewText() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let old = (0..<Int.random(in: 0...12, using: &generator)).map { _ in Substring(["a", "b", "c", "d"].randomElement(using: &generator)!) }
            let new = (0..<Int.random(in: 0...12, using: &generator)).map { _ in Substring(["a", "b", "c", "d"].randomElement(using: &generator)!) }
            let changes = LineDiff.changes(from: old, to: new)
            let removed = Set(changes.filter { $0.kind == .removed }.map(\.line))
            let added = Dictionary(uniqueKeysWithValues: changes.filter { $0.kind == .added }.map { ($0.line, $0.text) })
            let kept = old.enumerated().filter { !removed.contains($0.offset + 1) }.map { String($0.element) }
            var rebuilt: [String] = []
            var keptIndex = 0
            for line in 1...max(new.count, 1) where line <= new.count {
                if let text = added[line] {
                    rebuilt.append(text)
                } else if keptIndex < kept.count {
                    rebuilt.append(kept[keptIndex])
                    keptIndex += 1
                }
            }
            #expect(rebuilt == new.map(String.init), "old \(old) new \(new) changes \(changes)")
            #expect(keptIndex == kept.count, "old \(old) new \(new) changes \(changes)")
        }
    }

    @Test func oversizedDiffReplacesTheMiddle() {
        let old = (0..<3000).map { Substring("old \($0)") }
        let new = (0..<3000).map { Substring("new \($0)") }
        let changes = LineDiff.changes(from: old, to: new)
        #expect(changes.count == 6000)
        #expect(changes.first == LineChange(kind: .removed, line: 1, text: "old 0"))
        #expect(changes.last == LineChange(kind: .added, line: 3000, text: "new 2999"))
    }
}
