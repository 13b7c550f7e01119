import Testing

/// The suites that start IAM service processes. They run one at a time,
/// because each starts up to seven processes and the machine running the
/// whole test suite is shared with every other suite.
@Suite(.serialized) enum IAMProcessTests {}
