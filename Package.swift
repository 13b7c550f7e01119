// swift-tools-version:6.2
import PackageDescription

/// Settings every Stratus target shares: Swift 6 mode (complete concurrency
/// checking), explicit existentials and import visibility, as swift-nio does.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "stratus",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "StratusLog", targets: ["StratusLog"]),
        .library(name: "StratusNet", targets: ["StratusNet"]),
        .library(name: "StratusHTTP", targets: ["StratusHTTP"]),
        .library(name: "StratusTelemetry", targets: ["StratusTelemetry"]),
        .library(name: "StratusStore", targets: ["StratusStore"]),
        .library(name: "StratusResilience", targets: ["StratusResilience"]),
        .library(name: "StratusConfig", targets: ["StratusConfig"]),
        .library(name: "StratusKit", targets: ["StratusKit"]),
        .library(name: "StratusDiscovery", targets: ["StratusDiscovery"]),
        .library(name: "StratusEvents", targets: ["StratusEvents"]),
        .library(name: "StratusControlPlane", targets: ["StratusControlPlane"]),
        .library(name: "StratusAppSpec", targets: ["StratusAppSpec"]),
        .library(name: "StratusKubernetes", targets: ["StratusKubernetes"]),
        .library(name: "StratusGatewayPolicies", targets: ["StratusGatewayPolicies"]),
        .library(name: "StratusGateway", targets: ["StratusGateway"]),
        .executable(name: "stratus", targets: ["stratus"]),
        .executable(name: "stratus-hello", targets: ["stratus-hello"]),
        .executable(name: "iam-apiserver", targets: ["iam-apiserver"]),
        .executable(name: "iam-authz-server", targets: ["iam-authz-server"]),
        .executable(name: "iam-pump", targets: ["iam-pump"]),
    ],
    targets: [
        // Linux calls that Glibc does not export: epoll, eventfd, accept4.
        .target(name: "CStratusLinux"),
        .target(name: "StratusLog", swiftSettings: strictSettings),
        .target(
            name: "StratusNet",
            dependencies: ["CStratusLinux"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StratusHTTP",
            dependencies: ["StratusLog", "StratusNet"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StratusTelemetry",
            dependencies: ["StratusLog", "StratusHTTP", "StratusNet"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StratusResilience",
            dependencies: ["CStratusLinux", "StratusHTTP", "StratusNet"],
            swiftSettings: strictSettings
        ),
        // libyaml from Debian's libyaml-dev, for StratusKit's configuration files.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Configuration: the loader of files, environment and flags, the
        // config center's model, and its client.
        .target(
            name: "StratusConfig",
            dependencies: ["CYAML", "StratusLog", "StratusHTTP", "StratusDiscovery", "StratusTelemetry"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StratusKit",
            dependencies: [
                "StratusConfig", "StratusLog", "StratusNet", "StratusHTTP", "StratusTelemetry", "StratusResilience",
                "StratusDiscovery", "StratusStore", "StratusEvents",
            ],
            swiftSettings: strictSettings
        ),
        // The app spec, stratus.yaml: the model that `stratus up` runs and
        // that Kubernetes manifests are rendered from.
        .target(
            name: "StratusAppSpec",
            dependencies: ["StratusKit", "StratusDiscovery"],
            swiftSettings: strictSettings
        ),
        // `stratus up`: the process supervisor, the reconcilers of replicas
        // and rollouts, and the autoscaler.
        .target(
            name: "StratusOrchestrator",
            dependencies: [
                "StratusAppSpec", "StratusControlPlane", "StratusDiscovery", "StratusStore", "StratusHTTP", "StratusLog", "StratusNet",
                "CStratusLinux",
            ],
            swiftSettings: strictSettings
        ),
        // Kubernetes manifests and a Dockerfile rendered from the app spec.
        .target(
            name: "StratusKubernetes",
            dependencies: ["StratusAppSpec"],
            swiftSettings: strictSettings
        ),
        // SQLite from Debian's libsqlite3-dev, for the embedded store's durable keys.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "StratusStore",
            dependencies: ["CSQLite", "StratusLog", "StratusHTTP", "StratusNet", "StratusTelemetry"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StratusDiscovery",
            dependencies: ["StratusLog", "StratusHTTP", "StratusNet", "StratusTelemetry"],
            swiftSettings: strictSettings
        ),
        // The event bus API, the embedded broker's client and the NATS
        // JetStream backend.
        .target(
            name: "StratusEvents",
            dependencies: ["StratusLog", "StratusNet", "StratusHTTP", "StratusTelemetry"],
            swiftSettings: strictSettings
        ),
        // The control plane: the registry, the store API that etcd v3
        // gateway clients speak to, and the embedded event broker.
        .target(
            name: "StratusControlPlane",
            dependencies: [
                "CCrypto", "StratusConfig", "StratusAppSpec", "StratusStore", "StratusDiscovery", "StratusEvents", "StratusHTTP",
                "StratusLog", "StratusNet", "StratusTelemetry",
            ],
            swiftSettings: strictSettings
        ),
        // OpenSSL's libcrypto from Debian's libssl-dev: hashes, HMAC and
        // signature verification for the gateway's policies, AES-256-GCM
        // for the config center's secret values, and HMAC and random bytes
        // for the IAM example's tokens and secrets.
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // libxcrypt from Debian's libcrypt-dev: crypt_r(3) for yescrypt,
        // sha512-crypt and bcrypt password hashes (the gateway's basic auth
        // and the IAM example's passwords).
        .systemLibrary(
            name: "CCrypt",
            pkgConfig: "libcrypt",
            providers: [.apt(["libcrypt-dev"])]
        ),
        // The gateway's security policies: consumers, API keys, JWT, basic
        // auth, external authorization, IP lists, CORS and the cluster-wide
        // rate limiter, registered into the gateway as one plugin suite.
        .target(
            name: "StratusGatewayPolicies",
            dependencies: [
                "CCrypto", "CCrypt", "StratusHTTP", "StratusLog", "StratusNet", "StratusTelemetry", "StratusResilience",
                "StratusStore", "StratusGateway",
            ],
            swiftSettings: strictSettings
        ),
        // The API gateway: routes, upstreams, traffic policy, proxying and
        // its admin API. It reads YAML through StratusKit's loader.
        .target(
            name: "StratusGateway",
            dependencies: [
                "StratusKit", "StratusHTTP", "StratusLog", "StratusNet", "StratusTelemetry", "StratusResilience",
                "StratusDiscovery", "StratusStore",
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "stratus",
            dependencies: [
                "StratusControlPlane", "StratusEvents", "StratusStore", "StratusLog", "StratusNet", "StratusTelemetry",
                "StratusAppSpec", "StratusKubernetes", "StratusHTTP", "StratusOrchestrator", "StratusConfig", "StratusDiscovery", "StratusGateway",
                "StratusGatewayPolicies",
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "stratus-hello",
            dependencies: ["StratusHTTP", "StratusTelemetry"],
            swiftSettings: strictSettings
        ),
        // libpq from Debian's libpq-dev: the IAM example's PostgreSQL storage.
        .systemLibrary(
            name: "CPostgreSQL",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Examples/iam: the IAM reference application. IAMModel contains the
        // resources, validation, tokens and the policy engine; IAMStorage
        // the SQL storage; IAMHTTP what both HTTP servers share; one library
        // per service and a thin executable for each.
        .target(
            name: "IAMModel",
            dependencies: ["CCrypto", "CCrypt"],
            path: "Examples/iam/Sources/IAMModel",
            swiftSettings: strictSettings
        ),
        .target(
            name: "IAMStorage",
            dependencies: ["IAMModel", "CSQLite", "CPostgreSQL"],
            path: "Examples/iam/Sources/IAMStorage",
            swiftSettings: strictSettings
        ),
        .target(
            name: "IAMHTTP",
            dependencies: ["IAMModel", "StratusKit", "StratusHTTP", "StratusLog"],
            path: "Examples/iam/Sources/IAMHTTP",
            swiftSettings: strictSettings
        ),
        .target(
            name: "IAMAPIServer",
            dependencies: ["IAMModel", "IAMStorage", "IAMHTTP", "StratusKit", "StratusEvents", "StratusHTTP", "StratusLog"],
            path: "Examples/iam/Sources/IAMAPIServer",
            swiftSettings: strictSettings
        ),
        .target(
            name: "IAMAuthzServer",
            dependencies: ["IAMModel", "IAMHTTP", "StratusKit", "StratusEvents", "StratusHTTP", "StratusLog", "StratusTelemetry"],
            path: "Examples/iam/Sources/IAMAuthzServer",
            swiftSettings: strictSettings
        ),
        .target(
            name: "IAMPump",
            dependencies: ["IAMModel", "IAMStorage", "IAMHTTP", "StratusKit", "StratusEvents", "StratusHTTP", "StratusLog"],
            path: "Examples/iam/Sources/IAMPump",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "iam-apiserver",
            dependencies: ["IAMAPIServer", "StratusKit"],
            path: "Examples/iam/Sources/iam-apiserver",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "iam-authz-server",
            dependencies: ["IAMAuthzServer", "StratusKit"],
            path: "Examples/iam/Sources/iam-authz-server",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "iam-pump",
            dependencies: ["IAMPump", "StratusKit"],
            path: "Examples/iam/Sources/iam-pump",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IAMModelTests",
            dependencies: ["IAMModel"],
            path: "Examples/iam/Tests/IAMModelTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IAMStorageTests",
            dependencies: ["IAMStorage", "IAMModel", "StratusTestSupport"],
            path: "Examples/iam/Tests/IAMStorageTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IAMServiceTests",
            dependencies: [
                "IAMModel", "IAMHTTP", "IAMStorage", "StratusKit", "StratusControlPlane", "StratusDiscovery", "StratusHTTP",
                "StratusLog", "StratusTestSupport", "StratusAppSpec",
            ],
            path: "Examples/iam/Tests/IAMServiceTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusLogTests",
            dependencies: ["StratusLog"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusNetTests",
            dependencies: ["StratusNet"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusHTTPTests",
            dependencies: ["StratusHTTP", "StratusLog", "StratusNet", "StratusTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusTelemetryTests",
            dependencies: ["StratusTelemetry", "StratusHTTP", "StratusLog", "StratusNet", "StratusTestSupport"],
            swiftSettings: strictSettings
        ),
        // bench/store's load generator for the embedded store and for etcd.
        .executableTarget(
            name: "stratus-store-bench",
            dependencies: ["StratusStore"],
            path: "bench/store/StoreBench",
            swiftSettings: strictSettings
        ),
        // bench/registry's load generator for the control plane's registry
        // API. It starts stratus-instance-probe through StratusTestSupport.
        .executableTarget(
            name: "stratus-registry-bench",
            dependencies: ["StratusDiscovery", "StratusHTTP", "StratusTestSupport"],
            path: "bench/registry/RegistryBench",
            swiftSettings: strictSettings
        ),
        // bench/orchestrator's driver: stratus up's start-up, replacement
        // and rollout times. It starts stratus up through StratusTestSupport.
        .executableTarget(
            name: "stratus-orchestrator-bench",
            dependencies: ["StratusOrchestrator", "StratusControlPlane", "StratusDiscovery", "StratusKit", "StratusHTTP", "StratusTestSupport"],
            path: "bench/orchestrator/OrchestratorBench",
            swiftSettings: strictSettings
        ),
        // bench/events's load generator for the embedded broker and NATS
        // JetStream.
        .executableTarget(
            name: "stratus-events-bench",
            dependencies: ["StratusEvents"],
            path: "bench/events/EventsBench",
            swiftSettings: strictSettings
        ),
        // bench/resilience: counts malloc calls by replacing malloc in the
        // benchmark executable, so link it into nothing else.
        .target(
            name: "CStratusAllocationCounter",
            path: "bench/resilience/CAllocationCounter"
        ),
        // bench/resilience's decision benchmark, overload server and
        // open-loop load generator.
        .executableTarget(
            name: "stratus-resilience-bench",
            dependencies: ["CStratusAllocationCounter", "StratusResilience", "StratusHTTP", "StratusLog", "StratusNet"],
            path: "bench/resilience/ResilienceBench",
            swiftSettings: strictSettings
        ),
        // A service instance the discovery tests start and kill.
        .executableTarget(
            name: "stratus-instance-probe",
            dependencies: ["StratusDiscovery", "StratusNet"],
            path: "Tests/Probes/InstanceProbe",
            swiftSettings: strictSettings
        ),
        // bench/config's load generator: watching clients of the config
        // center over the embedded store and over etcd.
        .executableTarget(
            name: "stratus-config-bench",
            dependencies: ["StratusConfig", "StratusControlPlane", "StratusDiscovery", "StratusLog", "StratusStore", "StratusTestSupport"],
            path: "bench/config/ConfigBench",
            swiftSettings: strictSettings
        ),
        // A StratusKit service that serves its config-center values, for the
        // config center's process tests.
        .executableTarget(
            name: "stratus-config-probe",
            dependencies: ["StratusKit", "StratusHTTP"],
            path: "Tests/Probes/ConfigProbe",
            swiftSettings: strictSettings
        ),
        // A StratusKit service that the kit's process tests stop with SIGTERM.
        .executableTarget(
            name: "stratus-kit-probe",
            dependencies: ["StratusKit", "StratusHTTP"],
            path: "Tests/Probes/KitProbe",
            swiftSettings: strictSettings
        ),
        // A StratusKit service that the orchestrator's tests run as replicas.
        .executableTarget(
            name: "stratus-replica-probe",
            dependencies: ["StratusKit"],
            path: "Tests/Probes/ReplicaProbe",
            swiftSettings: strictSettings
        ),
        // The two services of Examples/Greeter: greeter-api calls
        // greeter-names through the service client.
        .executableTarget(
            name: "greeter-names",
            dependencies: ["StratusKit", "StratusHTTP"],
            path: "Examples/Greeter/GreeterNames",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "greeter-api",
            dependencies: ["StratusKit", "StratusHTTP"],
            path: "Examples/Greeter/GreeterAPI",
            swiftSettings: strictSettings
        ),
        // A consumer-group member the event-bus tests start and kill.
        .executableTarget(
            name: "stratus-event-probe",
            dependencies: ["StratusEvents"],
            path: "Tests/Probes/EventProbe",
            swiftSettings: strictSettings
        ),
        // A process the store tests start and kill with SIGKILL.
        .executableTarget(
            name: "stratus-store-probe",
            dependencies: ["StratusStore"],
            path: "Tests/Probes/StoreProbe",
            swiftSettings: strictSettings
        ),
        // Servers that tests of several targets start: etcd, and the control
        // plane's store API.
        .target(
            name: "StratusTestSupport",
            dependencies: ["StratusControlPlane", "StratusEvents", "StratusStore", "StratusHTTP", "StratusLog", "StratusNet", "CStratusLinux"],
            path: "Tests/StratusTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusStoreTests",
            dependencies: [
                "StratusStore", "StratusControlPlane", "StratusHTTP", "StratusLog", "StratusNet", "StratusTestSupport",
                "CStratusLinux",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusEventsTests",
            dependencies: ["StratusEvents", "StratusHTTP", "StratusLog", "StratusNet", "StratusTelemetry", "StratusTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusDiscoveryTests",
            dependencies: ["StratusDiscovery"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusControlPlaneTests",
            dependencies: [
                "StratusControlPlane", "StratusConfig", "StratusDiscovery", "StratusStore", "StratusHTTP", "StratusLog", "StratusNet",
                "StratusTelemetry", "StratusTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusResilienceTests",
            dependencies: ["StratusResilience", "StratusHTTP", "StratusLog", "StratusNet"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusKubernetesTests",
            dependencies: ["StratusKubernetes", "StratusAppSpec", "StratusTestSupport"],
            // Read from the source tree by path, not bundled.
            exclude: ["Golden", "Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusAppSpecTests",
            dependencies: ["StratusAppSpec", "StratusKit"],
            swiftSettings: strictSettings
        ),
        // A gateway replica's cluster-wide rate limiter, which the limiter's
        // tests run twice as separate processes against one control plane.
        .executableTarget(
            name: "stratus-ratelimit-probe",
            dependencies: ["StratusGatewayPolicies", "StratusResilience", "StratusStore"],
            path: "Tests/Probes/RateLimitProbe",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusGatewayPoliciesTests",
            dependencies: [
                "StratusGatewayPolicies", "CCrypto", "StratusHTTP", "StratusLog", "StratusNet", "StratusTelemetry",
                "StratusResilience", "StratusStore", "StratusControlPlane", "StratusKit", "StratusTestSupport", "StratusGateway",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusGatewayTests",
            dependencies: [
                "StratusGateway", "StratusHTTP", "StratusLog", "StratusNet", "StratusTelemetry", "StratusControlPlane",
                "StratusStore", "StratusTestSupport", "CCrypto",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusOrchestratorTests",
            dependencies: [
                "StratusOrchestrator", "StratusAppSpec", "StratusControlPlane", "StratusKit", "StratusDiscovery", "StratusStore",
                "StratusHTTP", "StratusTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusConfigTests",
            dependencies: ["StratusConfig", "StratusDiscovery", "StratusHTTP", "StratusLog", "StratusTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusKitTests",
            dependencies: [
                "StratusKit", "StratusConfig", "StratusHTTP", "StratusLog", "StratusNet", "StratusDiscovery", "StratusControlPlane",
                "StratusResilience", "StratusStore", "StratusTelemetry", "StratusTestSupport",
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
