import Testing
@testable import StratusStore

@Suite struct KeyRangeTests {
    @Test func prefixEndIncrementsLastByte() {
        #expect(KeyRange.prefix("a/").end == Array("a0".utf8))
    }

    @Test func prefixEndSkipsTrailingFF() {
        #expect(KeyRange.prefix([0x61, 0xff, 0xff]).end == [0x62])
        #expect(KeyRange.prefix([0xff]).end == [0])
        #expect(KeyRange.prefix([]).end == [0])
    }

    @Test func decodesEtcdRangeEnds() {
        #expect(KeyRange(start: Array("k".utf8), end: nil) == .key("k"))
        #expect(KeyRange(start: Array("a/".utf8), end: Array("a0".utf8)) == .prefix("a/"))
        #expect(KeyRange(start: [0], end: [0]) == .prefix([]))
        #expect(KeyRange(start: Array("m".utf8), end: [0]) == .from(Array("m".utf8)))
        #expect(KeyRange(start: Array("a".utf8), end: Array("c".utf8)) == .interval(start: Array("a".utf8), end: Array("c".utf8)))
    }

    @Test func containsFollowsByteOrder() {
        let interval = KeyRange.interval(start: Array("b".utf8), end: Array("d".utf8))
        #expect(interval.contains(Array("b".utf8)))
        #expect(interval.contains(Array("c/x".utf8)))
        #expect(!interval.contains(Array("d".utf8)))
        #expect(!interval.contains(Array("a".utf8)))
        #expect(KeyRange.prefix("a/").contains(Array("a/b".utf8)))
        #expect(!KeyRange.prefix("a/").contains(Array("a".utf8)))
        #expect(KeyRange.from(Array("m".utf8)).contains([0xff]))
    }
}
