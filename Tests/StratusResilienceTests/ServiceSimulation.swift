import StratusResilience

/// A discrete-event simulation of a service: `workers` workers serve a FIFO
/// queue, requests arrive as a Poisson process, and each takes a service
/// time drawn uniformly from `serviceTime`. Time is the manual clock's, so
/// a run takes no wall time to speak of and gives the same result each time.
///
/// With a shedder, each arrival calls `admit()` first and each completion
/// calls `complete(startedAt:)`. The shedder reads CPU use as the workers'
/// busy share over the latest `cpuSampleInterval`, as a sampler of /proc
/// would report it.
struct ServiceSimulation {
    /// A span of the run with one arrival rate.
    struct Phase {
        var duration: UInt64
        /// Arrivals per second.
        var rate: Double
    }

    var workers = 8
    /// Service time in nanoseconds, uniform over the range.
    var serviceTime: ClosedRange<UInt64> = 5_000_000...15_000_000
    var phases: [Phase]
    /// Requests that arrive before this offset from the start are served
    /// but not measured, and completions before it are not counted.
    var measuredFrom: UInt64 = 0
    var seed: UInt64 = 42
    var shedding = true
    /// The span of each CPU sample the shedder reads.
    var cpuSampleInterval: UInt64 = 250_000_000

    /// Creates a run of one phase: `duration` at `load` times the capacity.
    init(load: Double, duration: UInt64 = 60_000_000_000) {
        phases = []
        phases = [Phase(duration: duration, rate: load * capacity)]
    }

    /// Requests per second the workers complete at full use.
    var capacity: Double {
        Double(workers) * 2e9 / Double(serviceTime.lowerBound + serviceTime.upperBound)
    }

    struct Result {
        var arrived = 0
        var shed = 0
        /// Latencies, arrival to completion, of the measured requests that
        /// completed in the run.
        var latencies: [UInt64] = []
        /// The measured span.
        var duration: UInt64 = 0

        /// Measured completions per second of the measured span.
        var goodput: Double { Double(latencies.count) * 1e9 / Double(duration) }

        /// The 99th percentile latency in nanoseconds, nearest rank.
        var p99: UInt64 {
            let sorted = latencies.sorted()
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((0.99 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[max(0, rank)]
        }
    }

    private struct Job {
        var arrival: UInt64
        var startedAt: UInt64
    }

    func run() -> Result {
        var state = RunState(simulation: self)
        return state.run()
    }

    /// The mutable part of one run.
    private struct RunState {
        let simulation: ServiceSimulation
        let clock = ManualClock()
        let cpu = CPUGauge()
        let shedder: LoadShedder?
        var random: SeededRandom
        var queue: [Job] = []
        var queueHead = 0
        /// The jobs in service and when each finishes.
        var inService: [(finish: UInt64, job: Job)] = []
        var busyIntegral: UInt64 = 0
        var sampleStart: UInt64
        var now: UInt64
        var start: UInt64 = 0
        var result = Result()

        init(simulation: ServiceSimulation) {
            self.simulation = simulation
            random = SeededRandom(seed: simulation.seed)
            now = clock.now
            sampleStart = now
            shedder = simulation.shedding ? LoadShedder(clock: clock.clock, cpuUsage: cpu.read) : nil
        }

        mutating func run() -> Result {
            start = now
            let end = start + simulation.phases.reduce(0) { $0 + $1.duration }
            var nextArrival = start + gap(at: start)
            while true {
                let nextFinish = inService.map(\.finish).min()
                if let nextFinish, nextFinish <= nextArrival {
                    guard nextFinish <= end else { break }
                    advance(to: nextFinish)
                    finish()
                } else {
                    guard nextArrival <= end else { break }
                    advance(to: nextArrival)
                    arrive()
                    nextArrival += gap(at: nextArrival)
                }
            }
            result.duration = end - start - simulation.measuredFrom
            return result
        }

        /// Draws the time to the next arrival, at the rate of the phase at `time`.
        private mutating func gap(at time: UInt64) -> UInt64 {
            var phaseEnd = start
            for phase in simulation.phases {
                phaseEnd += phase.duration
                if time < phaseEnd {
                    return UInt64(random.exponential(mean: 1e9 / phase.rate))
                }
            }
            return UInt64.max / 2
        }

        private mutating func arrive() {
            result.arrived += 1
            var startedAt = now
            if let shedder {
                let admission = shedder.admit()
                guard admission.decision.isAdmitted else {
                    result.shed += 1
                    return
                }
                startedAt = admission.startedAt
            }
            let job = Job(arrival: now, startedAt: startedAt)
            if inService.count < simulation.workers {
                serve(job)
            } else {
                queue.append(job)
            }
        }

        private mutating func finish() {
            let index = inService.indices.min { inService[$0].finish < inService[$1].finish }!
            let job = inService.remove(at: index).job
            shedder?.complete(startedAt: job.startedAt)
            if job.arrival >= start + simulation.measuredFrom {
                result.latencies.append(now - job.arrival)
            }
            if queueHead < queue.count {
                let next = queue[queueHead]
                queueHead += 1
                serve(next)
            }
        }

        private mutating func serve(_ job: Job) {
            let time = UInt64.random(in: simulation.serviceTime, using: &random)
            inService.append((now + time, job))
        }

        /// Moves time forward, and publishes the busy share of each sample
        /// interval that ends on the way.
        private mutating func advance(to time: UInt64) {
            while time >= sampleStart + simulation.cpuSampleInterval {
                let boundary = sampleStart + simulation.cpuSampleInterval
                busyIntegral += UInt64(inService.count) * (boundary - now)
                cpu.set(Double(busyIntegral) / Double(simulation.cpuSampleInterval * UInt64(simulation.workers)))
                busyIntegral = 0
                sampleStart = boundary
                now = boundary
            }
            busyIntegral += UInt64(inService.count) * (time - now)
            now = time
            clock.advance(to: time)
        }
    }
}
