import HeadroomProbe
import HeadroomSystemTestKit

/// Runs `body` with a fresh fixture tree holding `files`, keeping the tree
/// (whose deinit deletes the directory) alive until `body` returns.
@discardableResult
func withFakeSystem<T>(_ files: [String: String] = [:], _ body: (FakeSystemTree) throws -> T) throws -> T {
    let tree = try FakeSystemTree(files: files)
    return try withExtendedLifetime(tree) { try body(tree) }
}

/// `n` kernel kilobytes (KiB) in bytes, as `/proc/meminfo` and `status` count them.
func kB(_ n: Int64) -> Int64 { n * 1024 }

/// A `GPUBackend` that returns a fixed inventory, for snapshot tests.
struct StubGPUBackend: GPUBackend {
    var result = GPUInventory(backend: "stub", isAvailable: false, library: "libstub.so",
                              issues: [GPUIssue(field: .library, reason: "stubbed in tests")])

    func inventory() -> GPUInventory { result }
}
