// swift-tools-version: 6.1
import PackageDescription

// The target graph is the architecture (see ARCHITECTURE.md): a module imports
// only what stands below it here.
let package = Package(
    name: "Headroom",
    products: [
        .executable(name: "headroom", targets: ["headroom"]),
        .library(name: "Headroom", targets: ["Headroom"]),
        .library(name: "HeadroomCore", targets: ["HeadroomCore"]),
        .library(name: "HeadroomProbe", targets: ["HeadroomProbe"]),
        .library(name: "HeadroomBatching", targets: ["HeadroomBatching"]),
        .library(name: "HeadroomMonitor", targets: ["HeadroomMonitor"]),
        .library(name: "HeadroomServer", targets: ["HeadroomServer"]),
        .library(name: "HeadroomPlanner", targets: ["HeadroomPlanner"]),
        .library(name: "HeadroomCache", targets: ["HeadroomCache"]),
        .library(name: "HeadroomTestKit", targets: ["HeadroomTestKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Without its Foundation trait: the CLI and library stay on FoundationEssentials.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2", traits: []),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // C declarations of the NVML and CUDA driver types; never links a vendor library.
        .target(name: "CHeadroomGPU"),
        // The vocabulary every module shares: ByteCount, MemoryAmount, OptimizationLevel.
        .target(name: "HeadroomCore"),
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
        // Reads model files' headers and works out what a run needs and what fits.
        .target(name: "HeadroomPlanner", dependencies: ["HeadroomCore", "HeadroomProbe"]),
        // Watches a process tree over time: sampler, leak detector, scopes, timeline, charts, metrics.
        .target(
            name: "HeadroomMonitor",
            dependencies: [
                "HeadroomProbe",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The HTTP side of `headroom serve`: Hummingbird serving the monitor's Prometheus registry.
        // Kept out of the umbrella so library users do not build a web server they do not run.
        .target(
            name: "HeadroomServer",
            dependencies: ["HeadroomMonitor", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .target(
            name: "Headroom",
            dependencies: [
                "HeadroomProbe",
                "HeadroomBatching",
                "HeadroomCache",
                "HeadroomMonitor",
                "HeadroomPlanner",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "HeadroomTestKit",
            dependencies: ["Headroom"],
            // The fake NVML and CUDA libraries' C sources are compiled by the tests at run time, not by SwiftPM.
            exclude: ["FakeNVML/fake_nvml.c", "FakeCUDA/fake_cuda.c"]
        ),
        .executableTarget(
            name: "headroom",
            dependencies: [
                "Headroom",
                "HeadroomServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/HeadroomCLI"
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
        .testTarget(name: "HeadroomProbeTests", dependencies: ["HeadroomProbe", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomTests", dependencies: ["Headroom", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomBatchingTests", dependencies: ["HeadroomBatching", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomCacheTests", dependencies: ["HeadroomCache", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomMonitorTests", dependencies: ["HeadroomMonitor", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomPlannerTests", dependencies: ["HeadroomPlanner"]),
        .testTarget(name: "HeadroomCLITests", dependencies: ["HeadroomTestKit", "headroom", "cuda-batch-example"]),
    ]
)
