import Testing
@testable import StratusResilience

@Suite struct AtomicBucketsTests {
    @Test func sumCoversTheLastBuckets() {
        let buckets = AtomicBuckets(count: 3, bucketNanoseconds: 100)
        buckets.add(1, at: 1_000)
        buckets.add(2, at: 1_150)
        buckets.add(4, at: 1_299)
        #expect(buckets.sum(at: 1_299) == 7)
        #expect(buckets.sum(at: 1_300) == 6, "the bucket of 1,000 left the window")
        #expect(buckets.value(ofEpoch: 11) == 2)
        #expect(buckets.value(ofEpoch: 14) == 0, "the slot of epoch 14 holds epoch 11")
    }

    @Test func sumNearEpochZeroStopsThere() {
        let buckets = AtomicBuckets(count: 10, bucketNanoseconds: 100)
        buckets.add(2, at: 50)
        buckets.add(3, at: 150)
        #expect(buckets.sum(at: 150) == 5)
    }

    @Test func lateAddIsDropped() {
        let buckets = AtomicBuckets(count: 3, bucketNanoseconds: 100)
        buckets.add(5, at: 1_300)
        buckets.add(1, at: 1_000)
        #expect(buckets.value(ofEpoch: 13) == 5)
        #expect(buckets.value(ofEpoch: 10) == 0)
    }

    @Test func valueSaturates() {
        let buckets = AtomicBuckets(count: 2, bucketNanoseconds: 100)
        buckets.add(.max - 1, at: 0)
        buckets.add(5, at: 0)
        #expect(buckets.value(ofEpoch: 0) == .max)
    }

    @Test func epochsPastHalfTheTagRangeStillCount() {
        let buckets = AtomicBuckets(count: 10, bucketNanoseconds: 1)
        let late: UInt64 = 3 << 31
        buckets.add(3, at: late)
        #expect(buckets.value(ofEpoch: late) == 3, "a never-written slot takes any epoch")
        buckets.add(2, at: late + 10)
        #expect(buckets.sum(at: late + 10) == 2)
    }

    @Test func stripedBucketsSumEveryThread() async {
        let buckets = AtomicBuckets(count: 3, bucketNanoseconds: 100, striped: true)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<1_000 {
                        buckets.add(1, at: 1_050)
                    }
                }
            }
        }
        #expect(buckets.value(ofEpoch: 10) == 4_000)
        #expect(buckets.sum(at: 1_250) == 4_000)
        #expect(buckets.sum(at: 1_300) == 0, "the bucket of 1,050 left the window")
    }

    @Test func stripedCountersBalance() async {
        let counters = StripedCounters(count: 2)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<1_000 {
                        counters.add(1, to: 0)
                        counters.add(1, to: 1)
                        counters.add(-1, to: 0)
                    }
                }
            }
        }
        #expect(counters.value(0) == 0)
        #expect(counters.value(1) == 4_000)
    }
}
