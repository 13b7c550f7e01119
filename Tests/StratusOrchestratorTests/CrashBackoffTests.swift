import StratusOrchestrator
import Testing

@Suite struct CrashBackoffTests {
    @Test func delaysDoubleToCap() {
        let backoff = CrashBackoff()
        #expect((1...7).map { backoff.delay(afterCrashes: $0) } == [1, 2, 4, 8, 10, 10, 10].map { Duration.seconds($0) })
    }

    @Test func unitScalesDelays() {
        let backoff = CrashBackoff(unit: .milliseconds(20))
        #expect((1...6).map { backoff.delay(afterCrashes: $0) } == [20, 40, 80, 160, 200, 200].map { Duration.milliseconds($0) })
        #expect(backoff.stableRun == .seconds(12))
    }

    @Test func manyCrashesStayCapped() {
        #expect(CrashBackoff().delay(afterCrashes: 1000) == .seconds(10))
    }
}
