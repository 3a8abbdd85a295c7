// swift-tools-version: 6.1
import PackageDescription

// The target graph is the architecture (docs/architecture.md): a module imports
// only what stands below it here, and declares every module it imports.
let package = Package(
    name: "Headroom",
    products: [
        .executable(name: "headroom", targets: ["headroom"]),
        .executable(name: "headroom-serve", targets: ["headroom-serve"]),
        .library(name: "Headroom", targets: ["Headroom"]),
        .library(name: "HeadroomCore", targets: ["HeadroomCore"]),
        .library(name: "HeadroomAdvisor", targets: ["HeadroomAdvisor"]),
        .library(name: "HeadroomProbe", targets: ["HeadroomProbe"]),
        .library(name: "HeadroomBatching", targets: ["HeadroomBatching"]),
        .library(name: "HeadroomMonitor", targets: ["HeadroomMonitor"]),
        .library(name: "HeadroomRun", targets: ["HeadroomRun"]),
        .library(name: "HeadroomServer", targets: ["HeadroomServer"]),
        .library(name: "HeadroomPlanner", targets: ["HeadroomPlanner"]),
        .library(name: "HeadroomCache", targets: ["HeadroomCache"]),
        // The C interface, libHeadroomC.so (shipped in the wheel as libheadroom.so); headroom.h is its contract.
        .library(name: "HeadroomC", type: .dynamic, targets: ["HeadroomC"]),
        .library(name: "HeadroomTestKit", targets: ["HeadroomTestKit"]),
        .library(name: "HeadroomSystemTestKit", targets: ["HeadroomSystemTestKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // 4.x: built on FoundationEssentials, so the cache's content keys do not pull full Foundation and ICU into the CLI.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Without its Foundation trait: the CLI and library stay on FoundationEssentials.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2", traits: []),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.2"),
    ],
    targets: [
        // C declarations of the NVML and CUDA driver types; never links a vendor library.
        .target(name: "CHeadroomGPU"),
        // The vocabulary every module shares: ByteCount, MemoryAmount, OptimizationLevel, MemoryBudget, EffectiveMemory.
        .target(name: "HeadroomCore"),
        // The one machine reader: host, cgroup, PSI, process trees through kept-open /proc files, NVML and CUDA.
        .target(
            name: "HeadroomProbe",
            dependencies: [
                "CHeadroomGPU",
                "HeadroomCore",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Batches a workload as large as memory allows; takes budgets as values, never reads /proc.
        .target(name: "HeadroomBatching", dependencies: ["HeadroomCore"]),
        // A byte-bounded RAM cache with W-TinyLFU admission, single-flight, statistics and a disk tier;
        // takes budgets and pressure as values or closures, never reads /proc.
        .target(
            name: "HeadroomCache",
            dependencies: [
                "HeadroomCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Reads model files' headers and works out what a run needs and what fits a given budget.
        .target(name: "HeadroomPlanner", dependencies: ["HeadroomCore"]),
        // Watches a process tree over time: sampling policy and history, leak detector, scopes, charts, metrics.
        .target(
            name: "HeadroomMonitor",
            dependencies: [
                "HeadroomProbe",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Runs and supervises programs: tune's trials, watch's child or attached process, signal forwarding.
        .target(
            name: "HeadroomRun",
            dependencies: [
                "HeadroomBatching",
                "HeadroomMonitor",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The HTTP side of `headroom serve`: Hummingbird serving the monitor's Prometheus registry.
        // Kept out of the umbrella and out of the `headroom` binary (see `headroom-serve`).
        .target(
            name: "HeadroomServer",
            dependencies: [
                "HeadroomMonitor",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // TLS from a certificate and key file (`--tls-cert`, `--tls-key`), on swift-nio-ssl.
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Advice from readings: the advisor and framework settings, the diagnostic report, a plan's fit
        // on this machine and a batcher's start from it, the CUDA budget.
        .target(name: "HeadroomAdvisor", dependencies: ["HeadroomProbe", "HeadroomBatching", "HeadroomPlanner"]),
        // The umbrella: one import for library users; every module but the HTTP server.
        .target(
            name: "Headroom",
            dependencies: [
                "HeadroomAdvisor", "HeadroomProbe", "HeadroomBatching", "HeadroomCache", "HeadroomMonitor", "HeadroomPlanner",
                "HeadroomRun",
            ]
        ),
        // The C ABI over the core: JSON in and out, the batch-size search, the OOM classifier, the cache
        // policy, content keys and a sampler, behind opaque handles and a per-thread last error.
        .target(
            name: "HeadroomC",
            dependencies: ["HeadroomAdvisor", "HeadroomCache", "HeadroomMonitor"],
            exclude: ["headroom.h"]
        ),
        // Seeded randomness, a simulated device and seeded request traces for the batcher's and the cache's
        // tests and benchmarks: no system, no GPU.
        .target(name: "HeadroomTestKit", dependencies: ["HeadroomBatching"]),
        // Fixture /proc trees, the fake NVML and CUDA libraries (compiled by the tests at run time) and a command runner.
        .target(
            name: "HeadroomSystemTestKit",
            dependencies: ["HeadroomProbe"],
            exclude: ["FakeNVML/fake_nvml.c", "FakeCUDA/fake_cuda.c", "FakeLibrary/fake_library.h"]
        ),
        .executableTarget(
            name: "headroom",
            // The modules the commands use, not the umbrella: the cache (and swift-crypto) stays out of the binary.
            dependencies: [
                "HeadroomAdvisor",
                "HeadroomRun",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Not a dependency on headroom-serve: SwiftPM would link the server's libraries into this binary.
            path: "Sources/HeadroomCLI"
        ),
        // `headroom serve`'s own executable: the web server and what it links stay out of every other command.
        .executableTarget(
            name: "headroom-serve",
            dependencies: ["HeadroomServer", "HeadroomProbe"],
            path: "Sources/HeadroomServe"
        ),
        // A workload that allocates CUDA memory per item, for checking the batcher against real OOMs on a GPU host.
        .executableTarget(
            name: "cuda-batch-example",
            dependencies: [
                "Headroom",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Examples/CUDABatch"
        ),
        // Several of these at once share one disk-tier directory in the cache's tests.
        .executableTarget(name: "disk-tier-hammer", dependencies: ["HeadroomCache", "HeadroomCore"], path: "Sources/DiskTierHammer"),
        .testTarget(name: "HeadroomCoreTests", dependencies: ["HeadroomCore", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomProbeTests", dependencies: ["HeadroomProbe", "HeadroomTestKit", "HeadroomSystemTestKit"]),
        .testTarget(name: "HeadroomTests", dependencies: ["Headroom", "HeadroomTestKit", "HeadroomSystemTestKit"]),
        .testTarget(name: "HeadroomBatchingTests", dependencies: ["HeadroomBatching", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomCacheTests", dependencies: ["HeadroomCache", "HeadroomTestKit", "disk-tier-hammer"]),
        .testTarget(name: "HeadroomMonitorTests", dependencies: ["HeadroomMonitor", "HeadroomTestKit", "HeadroomSystemTestKit"]),
        .testTarget(name: "HeadroomPlannerTests", dependencies: ["HeadroomPlanner", "HeadroomTestKit"]),
        .testTarget(
            name: "HeadroomCLITests",
            dependencies: ["HeadroomSystemTestKit", "headroom", "headroom-serve", "cuda-batch-example"]
        ),
    ]
)
