// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the planner's readers, one per format (and config.json and the
// safetensors index). Kept
// out of the root package so `swift test` never builds them. Build and run with
// scripts/fuzz-plan.sh (swift build -Xswiftc -sanitize=fuzzer,address).
let package = Package(
    name: "HeadroomFuzz",
    dependencies: [.package(name: "Headroom", path: "..")],
    targets: [
        // The driver hand-off and the planning step every target shares.
        .target(name: "FuzzSupport", dependencies: [.product(name: "HeadroomPlanner", package: "Headroom")]),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzSupport", .product(name: "HeadroomPlanner", package: "Headroom")]),
        .executableTarget(name: "FuzzGGUF", dependencies: ["FuzzSupport", .product(name: "HeadroomPlanner", package: "Headroom")]),
        .executableTarget(name: "FuzzONNX", dependencies: ["FuzzSupport", .product(name: "HeadroomPlanner", package: "Headroom")]),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport", .product(name: "HeadroomPlanner", package: "Headroom")]),
        .executableTarget(name: "FuzzIndex", dependencies: ["FuzzSupport", .product(name: "HeadroomPlanner", package: "Headroom")]),
    ]
)
