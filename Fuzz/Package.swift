// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the planner's model file readers, one per format. Kept
// out of the root package so `swift test` never builds them. Build and run with
// scripts/fuzz-plan.sh (swift build -Xswiftc -sanitize=fuzzer,address).
let package = Package(
    name: "HeadroomFuzz",
    dependencies: [.package(name: "Headroom", path: "..")],
    targets: [
        .executableTarget(name: "FuzzSafetensors", dependencies: [.product(name: "HeadroomPlanner", package: "Headroom")]),
        .executableTarget(name: "FuzzGGUF", dependencies: [.product(name: "HeadroomPlanner", package: "Headroom")]),
        .executableTarget(name: "FuzzONNX", dependencies: [.product(name: "HeadroomPlanner", package: "Headroom")]),
    ]
)
