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
        .library(name: "StratusKit", targets: ["StratusKit"]),
        .library(name: "StratusDiscovery", targets: ["StratusDiscovery"]),
        .library(name: "StratusControlPlane", targets: ["StratusControlPlane"]),
        .library(name: "StratusGateway", targets: ["StratusGateway"]),
        .executable(name: "stratus", targets: ["stratus"]),
        .executable(name: "stratus-hello", targets: ["stratus-hello"]),
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
        .target(
            name: "StratusKit",
            dependencies: [
                "CYAML", "StratusLog", "StratusNet", "StratusHTTP", "StratusTelemetry", "StratusResilience",
                "StratusDiscovery", "StratusStore",
            ],
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
        // The control plane: the registry and the store API that etcd v3
        // gateway clients speak to.
        .target(
            name: "StratusControlPlane",
            dependencies: ["StratusStore", "StratusDiscovery", "StratusHTTP", "StratusLog", "StratusNet", "StratusTelemetry"],
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
            dependencies: ["StratusControlPlane", "StratusGateway", "StratusStore", "StratusLog", "StratusNet", "StratusTelemetry"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "stratus-hello",
            dependencies: ["StratusHTTP", "StratusTelemetry"],
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
            dependencies: ["StratusHTTP", "StratusLog", "StratusNet"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusTelemetryTests",
            dependencies: ["StratusTelemetry", "StratusHTTP", "StratusLog", "StratusNet"],
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
        // A service instance the discovery tests start and kill.
        .executableTarget(
            name: "stratus-instance-probe",
            dependencies: ["StratusDiscovery", "StratusNet"],
            path: "Tests/Probes/InstanceProbe",
            swiftSettings: strictSettings
        ),
        // A StratusKit service that the kit's process tests stop with SIGTERM.
        .executableTarget(
            name: "stratus-kit-probe",
            dependencies: ["StratusKit", "StratusHTTP"],
            path: "Tests/Probes/KitProbe",
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
            dependencies: ["StratusControlPlane", "StratusStore", "StratusHTTP", "StratusLog", "StratusNet", "CStratusLinux"],
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
            name: "StratusDiscoveryTests",
            dependencies: ["StratusDiscovery"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusControlPlaneTests",
            dependencies: [
                "StratusControlPlane", "StratusDiscovery", "StratusStore", "StratusHTTP", "StratusLog", "StratusNet", "StratusTelemetry",
                "StratusTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusResilienceTests",
            dependencies: ["StratusResilience", "StratusHTTP", "StratusLog", "StratusNet"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusGatewayTests",
            dependencies: [
                "StratusGateway", "StratusHTTP", "StratusLog", "StratusNet", "StratusTelemetry", "StratusControlPlane",
                "StratusStore", "StratusTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StratusKitTests",
            dependencies: [
                "StratusKit", "StratusHTTP", "StratusLog", "StratusNet", "StratusDiscovery", "StratusControlPlane",
                "StratusResilience", "StratusTelemetry", "StratusTestSupport",
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
