import Testing

/// The load-balancing suites, run one test at a time: several count
/// 100,000 picks without suspending, and running them side by side would
/// hold every thread of the cooperative pool for seconds, stalling the
/// timing-sensitive tests of other modules that share the test process.
@Suite(.serialized) struct LoadBalancingTests {}
