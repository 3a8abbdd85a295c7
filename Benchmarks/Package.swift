// swift-tools-version: 6.1
import PackageDescription

// The batching benchmark: its own package so `swift test` in the root never builds it.
// It measures simulated time on HeadroomTestKit's SimulatedDevice, so its figures are
// deterministic and it is a plain executable, not a wall-clock harness.
//
//   swift run -c release --package-path Benchmarks batch-benchmark    (or scripts/bench-batch.sh)
let package = Package(
    name: "HeadroomBenchmarks",
    dependencies: [
        .package(name: "Headroom", path: ".."),
    ],
    targets: [
        // What both benchmarks print with: plain text tables.
        .target(name: "BenchmarkSupport"),
        .executableTarget(
            name: "batch-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "HeadroomBatching", package: "Headroom"),
                .product(name: "HeadroomCore", package: "Headroom"),
                .product(name: "HeadroomTestKit", package: "Headroom"),
            ],
            path: "Sources/BatchBenchmark"
        ),
        // Hit rates and throughput of HeadroomCache beside libCacheSim, NSCache and cachetools.
        //   scripts/bench-cache.sh
        .executableTarget(
            name: "cache-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "HeadroomCache", package: "Headroom"),
                .product(name: "HeadroomCore", package: "Headroom"),
                .product(name: "HeadroomTestKit", package: "Headroom"),
            ],
            path: "Sources/CacheBenchmark"
        ),
    ]
)
