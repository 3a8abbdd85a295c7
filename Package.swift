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
        .library(name: "HeadroomCache", targets: ["HeadroomCache"]),
        .library(name: "HeadroomTestKit", targets: ["HeadroomTestKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
        .target(name: "Headroom", dependencies: ["HeadroomProbe", "HeadroomBatching", "HeadroomCache"]),
        .target(
            name: "HeadroomTestKit",
            dependencies: ["Headroom"],
            // The fake NVML library's C source is compiled by the tests at run time, not by SwiftPM.
            exclude: ["FakeNVML/fake_nvml.c"]
        ),
        .executableTarget(
            name: "headroom",
            dependencies: [
                "Headroom",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/HeadroomCLI"
        ),
        .testTarget(name: "HeadroomProbeTests", dependencies: ["HeadroomProbe", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomTests", dependencies: ["Headroom", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomBatchingTests", dependencies: ["HeadroomBatching", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomCacheTests", dependencies: ["HeadroomCache", "HeadroomTestKit"]),
        .testTarget(name: "HeadroomCLITests", dependencies: ["HeadroomTestKit", "headroom"]),
    ]
)
