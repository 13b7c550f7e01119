import Testing
import StratusDiscovery

extension LoadBalancingTests {
    @Suite struct OutlierDetectorTests {
        private let clock = ManualClock()
        private let snapshot = Fixtures.snapshot(count: 4)

        private func makeDetector(consecutiveFailures: Int = 3) -> OutlierDetector {
            let configuration = OutlierDetectorConfiguration(
                consecutiveFailures: consecutiveFailures,
                baseEjectionTime: .seconds(30),
                maxEjectionTime: .seconds(300),
                maxEjectedFraction: 0.5
            )
            return OutlierDetector(configuration: configuration, clock: clock)
        }

        private func fail(_ detector: OutlierDetector, _ id: String, times: Int) {
            for _ in 0..<times {
                detector.record(.failure(latency: .milliseconds(1)), for: id)
            }
        }

        @Test func ejectsAfterConsecutiveFailures() {
            let detector = makeDetector()
            _ = detector.filter(snapshot)

            fail(detector, "i1", times: 2)
            #expect(detector.ejectedIDs().isEmpty)
            fail(detector, "i1", times: 1)

            #expect(detector.ejectedIDs() == ["i1"])
            #expect(detector.filter(snapshot).upInstances.map(\.id) == ["i0", "i2", "i3"])
        }

        @Test func successResetsFailureCount() {
            let detector = makeDetector()
            _ = detector.filter(snapshot)

            fail(detector, "i1", times: 2)
            detector.record(.success(latency: .milliseconds(1)), for: "i1")
            fail(detector, "i1", times: 2)
            detector.record(.cancelled, for: "i1")

            #expect(detector.ejectedIDs().isEmpty)
        }

        @Test func ejectionEndsAfterBaseTimeAndGrows() {
            let detector = makeDetector()
            _ = detector.filter(snapshot)
            fail(detector, "i1", times: 3)

            clock.advance(by: .seconds(29))
            #expect(detector.filter(snapshot).upInstances.count == 3)
            clock.advance(by: .seconds(1))
            #expect(detector.filter(snapshot).upInstances.count == 4)

            // The second ejection in a row lasts twice the base time.
            fail(detector, "i1", times: 3)
            clock.advance(by: .seconds(59))
            #expect(detector.ejectedIDs() == ["i1"])
            clock.advance(by: .seconds(1))
            #expect(detector.ejectedIDs().isEmpty)
        }

        @Test func longQuietPeriodForgivesEjections() {
            let detector = makeDetector()
            _ = detector.filter(snapshot)
            fail(detector, "i1", times: 3)
            clock.advance(by: .seconds(30 + 301))
            _ = detector.filter(snapshot)

            fail(detector, "i1", times: 3)
            clock.advance(by: .seconds(30))

            #expect(detector.ejectedIDs().isEmpty)
        }

        @Test func ignoresOutcomesWhileEjected() {
            let detector = makeDetector()
            _ = detector.filter(snapshot)
            fail(detector, "i1", times: 3)

            // Requests sent before the ejection fail late, and must not count
            // toward the next ejection.
            fail(detector, "i1", times: 2)
            clock.advance(by: .seconds(30))
            #expect(detector.ejectedIDs().isEmpty)
            fail(detector, "i1", times: 1)

            #expect(detector.ejectedIDs().isEmpty)
        }

        @Test func capsEjectedFraction() {
            let detector = makeDetector()
            _ = detector.filter(snapshot)

            for id in ["i0", "i1", "i2", "i3"] {
                fail(detector, id, times: 3)
            }

            #expect(detector.ejectedIDs() == ["i0", "i1"])
            #expect(detector.filter(snapshot).upInstances.map(\.id) == ["i2", "i3"])
        }

        @Test func neverEjectsSingleInstance() {
            let detector = makeDetector()
            let single = Fixtures.snapshot(count: 1)
            _ = detector.filter(single)

            fail(detector, "i0", times: 10)

            #expect(detector.filter(single).upInstances.count == 1)
        }

        @Test func filterKeepsVersionUntilChange() {
            let detector = makeDetector()

            #expect(detector.filter(snapshot).version == snapshot.version)
            fail(detector, "i2", times: 3)
            let first = detector.filter(snapshot)
            let second = detector.filter(snapshot)

            #expect(first.version != snapshot.version)
            #expect(first.version == second.version)
            #expect(first.revision == snapshot.revision)
        }

        @Test func filteredSnapshotFeedsBalancer() throws {
            let detector = makeDetector()
            let balancer = RoundRobinBalancer(initialPosition: 0)
            _ = detector.filter(snapshot)
            fail(detector, "i0", times: 3)

            let counts = Fixtures.countPicks(balancer, from: detector.filter(snapshot), picks: 300)

            #expect(counts == ["i1": 100, "i2": 100, "i3": 100])
        }
    }
}
