import StratusNet
import Testing

@Suite struct EventLoopGroupTests {
    @Test func coreCountIsPositive() {
        #expect(EventLoopGroup.coreCount >= 1)
    }

    @Test func loopCountIsHonored() async throws {
        let group = try EventLoopGroup(loopCount: 3)
        defer { group.shutdown() }

        #expect(group.loops.count == 3)
        #expect(group.loops.map(\.index) == [0, 1, 2])
    }

    @Test func nextRoundRobins() throws {
        let group = try EventLoopGroup(loopCount: 3)
        defer { group.shutdown() }

        let picked = (0..<7).map { _ in group.next().index }

        #expect(picked == [0, 1, 2, 0, 1, 2, 0])
    }

    @Test func loopsRunOnSeparateThreads() async throws {
        let group = try EventLoopGroup(loopCount: 3)
        defer { group.shutdown() }

        for loop in group.loops {
            let membership = await loop.submit { group.loops.map(\.inEventLoop) }
            let expected = group.loops.map { $0 === loop }
            #expect(membership == expected, "loop \(loop.index)")
        }
    }
}
