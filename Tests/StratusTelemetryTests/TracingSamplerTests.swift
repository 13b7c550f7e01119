@testable import StratusTelemetry
import Testing

@Suite struct TracingSamplerTests {
    let traceIDs: [TraceID] = {
        var generator = SplitMix64(seed: 0x5EED)
        return (0..<20_000).map { _ in TraceID(high: generator.next(), low: generator.next()) }
    }()

    private func sampledFraction(_ sampler: some Sampler) -> Double {
        let sampled = traceIDs.filter { sampler.shouldSample(parent: nil, traceID: $0, operationName: "op", kind: .server) }
        return Double(sampled.count) / Double(traceIDs.count)
    }

    @Test func ratioZeroSamplesNone() {
        #expect(sampledFraction(TraceIDRatioSampler(ratio: 0)) == 0)
    }

    @Test func ratioOneSamplesAll() {
        #expect(sampledFraction(TraceIDRatioSampler(ratio: 1)) == 1)
    }

    @Test func ratioOneSamplesMaxLowBits() {
        let traceID = TraceID(high: 0, low: .max)
        #expect(TraceIDRatioSampler(ratio: 1).shouldSample(parent: nil, traceID: traceID, operationName: "op", kind: .server))
    }

    @Test func ratioClampsOutOfRange() {
        #expect(TraceIDRatioSampler(ratio: 2).ratio == 1)
        #expect(TraceIDRatioSampler(ratio: -1).ratio == 0)
        #expect(TraceIDRatioSampler(ratio: .nan).ratio == 0)
    }

    @Test(arguments: [0.01, 0.1, 0.25, 0.5, 0.9])
    func ratioSamplesFraction(_ ratio: Double) {
        let fraction = sampledFraction(TraceIDRatioSampler(ratio: ratio))
        // 20,000 ids give a standard deviation below 0.0036; 0.02 is over 5 of them.
        #expect(abs(fraction - ratio) < 0.02, "sampled \(fraction) of trace ids at ratio \(ratio)")
    }

    @Test func ratioHoldsForRandomIDs() {
        let sampler = TraceIDRatioSampler(ratio: 0.25)
        let sampled = (0..<20_000).filter { _ in
            sampler.shouldSample(parent: nil, traceID: .random(), operationName: "op", kind: .server)
        }
        let fraction = Double(sampled.count) / 20_000
        // As above, 0.02 is over 5 standard deviations.
        #expect(abs(fraction - 0.25) < 0.02, "sampled \(fraction) of random trace ids at ratio 0.25")
    }

    @Test func ratioDecidesByLowBits() {
        let sampler = TraceIDRatioSampler(ratio: 0.5)
        let below = TraceID(high: .max, low: 1 << 62)
        let above = TraceID(high: 0, low: 3 << 62)
        #expect(sampler.shouldSample(parent: nil, traceID: below, operationName: "a", kind: .client))
        #expect(!sampler.shouldSample(parent: nil, traceID: above, operationName: "a", kind: .client))
    }

    @Test func parentBasedFollowsSampledParent() {
        let sampler = ParentBasedSampler(root: AlwaysOffSampler())
        let traceID = TraceID(high: 1, low: 1)
        for remote in [true, false] {
            let parent = SpanContext(traceID: traceID, spanID: SpanID(value: 1), traceFlags: 1, isRemote: remote)
            #expect(sampler.shouldSample(parent: parent, traceID: traceID, operationName: "op", kind: .server))
        }
    }

    @Test func parentBasedFollowsUnsampledParent() {
        let sampler = ParentBasedSampler(root: AlwaysOnSampler())
        let traceID = TraceID(high: 1, low: 1)
        for remote in [true, false] {
            let parent = SpanContext(traceID: traceID, spanID: SpanID(value: 1), traceFlags: 0, isRemote: remote)
            #expect(!sampler.shouldSample(parent: parent, traceID: traceID, operationName: "op", kind: .server))
        }
    }

    @Test func parentBasedAsksRootWithoutParent() {
        #expect(sampledFraction(ParentBasedSampler(root: AlwaysOnSampler())) == 1)
        #expect(sampledFraction(ParentBasedSampler(root: AlwaysOffSampler())) == 0)
        #expect(abs(sampledFraction(ParentBasedSampler(root: TraceIDRatioSampler(ratio: 0.3))) - 0.3) < 0.02)
    }
}
