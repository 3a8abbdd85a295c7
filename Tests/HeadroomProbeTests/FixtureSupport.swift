import HeadroomProbe
import HeadroomTestKit

/// Runs `body` with a fresh fixture tree holding `files`, keeping the tree
/// (whose deinit deletes the directory) alive until `body` returns.
func withFakeSystem<T>(_ files: [String: String] = [:], _ body: (FakeSystemTree) throws -> T) throws -> T {
    let tree = try FakeSystemTree(files: files)
    return try withExtendedLifetime(tree) { try body(tree) }
}

/// `n` kernel kilobytes (KiB) in bytes, as `/proc/meminfo` and `status` count them.
func kB(_ n: Int64) -> Int64 { n * 1024 }

/// A `GPUBackend` that returns a fixed inventory, for snapshot tests.
struct StubGPUBackend: GPUBackend {
    var result = GPUInventory(backend: "stub", isAvailable: false, library: "libstub.so",
                              issues: [GPUIssue(field: "library", reason: "stubbed in tests")])

    func inventory() -> GPUInventory { result }
}

/// A small deterministic generator (SplitMix64) so property tests replay the same inputs.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
