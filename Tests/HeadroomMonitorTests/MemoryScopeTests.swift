#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomMonitor
import HeadroomSystemTestKit
import Synchronization
import Testing

@Suite("MemoryScope", .serialized)
struct MemoryScopeTests {
    /// Holds `bytes` of touched memory for `milliseconds`, then frees it.
    static func spike(_ bytes: Int, milliseconds: Int = 60) async throws {
        let block = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 4096)
        defer { block.deallocate() }
        memset(block, 1, bytes)
        try await Task.sleep(for: .milliseconds(milliseconds))
    }

    @Test("a spike shows in the peak, not in what is retained")
    func peak() async throws {
        let (value, report) = try await MemoryScope.measure("spike") {
            try await Self.spike(96 << 20)
            return 42
        }
        #expect(value == 42)
        #expect(report.rssPeakIncrease >= .mebibytes(90), "\(report)")
        // Other suites run in this process at the same time and may grow by tens of MiB while this test
        // waits for a thread, so the check is that the spike itself was given back after the peak.
        #expect(report.rssPeak.bytes - report.rssAfter.bytes >= 72 << 20, "\(report)")
        #expect(report.rssRetained < report.rssPeakIncrease.bytes, "\(report)")
        #expect(report.path == ["spike"])
    }

    @Test("scopes nest: the inner report is the outer one's child, and the outer peak covers it")
    func nesting() async throws {
        let (_, outer) = try await MemoryScope.measure("epoch") {
            let (_, inner) = try await MemoryScope.measure("decode") { try await Self.spike(128 << 20) }
            #expect(inner.path == ["epoch", "decode"])
            _ = try await MemoryScope.measure("encode") { try await Self.spike(8 << 20, milliseconds: 20) }
        }
        #expect(outer.children.map(\.name) == ["decode", "encode"])
        let decode = try #require(outer.children.first)
        // Other suites run in this process at the same time and free memory during the spike: allow 16 MiB for them.
        #expect(decode.rssPeakIncrease >= .mebibytes(112), "\(decode)")
        #expect(outer.rssPeak >= decode.rssPeak)
    }

    @Test("cleanup hooks run in reverse order when the body throws, and the error comes through")
    func cleanupOnError() async throws {
        struct Boom: Error {}
        let order = Mutex<[String]>([])
        await #expect(throws: Boom.self) {
            _ = try await MemoryScope.measure("failing") {
                MemoryScope.onExit { order.withLock { $0.append("first") } }
                MemoryScope.onExit { order.withLock { $0.append("second") } }
                throw Boom()
            }
        }
        #expect(order.withLock { $0 } == ["second", "first"])
        #expect(MemoryScope.onExit {} == false)  // outside any scope
    }

    @Test("GPU memory of this process from the GPU backend")
    func gpu() async throws {
        let nvml = try FakeNVML.library(scenario: """
            device name=Test total=16GiB used=3GiB
            proc pid=\(getpid()) used=2GiB
            proc pid=1 used=1GiB
            """)
        let (_, report) = try await MemoryScope.measure("infer", gpuBackend: NVMLBackend(libraryPath: nvml)) {}
        #expect(report.gpuBefore == .gibibytes(2))
        #expect(report.gpuAfter == .gibibytes(2))
        #expect(report.gpuPeak == .gibibytes(2))
    }
}
