import HeadroomCache
import Synchronization
import Testing

/// The README's library example, compiled and run.
@Suite("README example")
struct ReadmeExampleTests {
    func enhance(_ frame: [UInt8]) async throws -> [UInt8] { frame.map { $0 &+ 1 } }

    @Test("two named caches under one budget, a content key, compute once, a status line")
    func example() async throws {
        let frame: [UInt8] = Array(repeating: 7, count: 4096)
        let pressed = Atomic<Bool>(false)

        let caches = CacheRegistry(budget: .mebibytes(64))
        let pre: MemoryCache<ContentKey, [UInt8]> = try caches.makeCache(
            named: "preprocess", pressure: PressureResponse(fraction: 0.5) { pressed.load(ordering: .relaxed) })
        let key = ContentKey(bytes: frame, parameters: ["model": "inswapper_128", "gamma": 1.2])
        let crop = try await pre.value(forKey: key) { try await enhance(frame) }
        let again = try await pre.value(forKey: key) { Issue.record("computed twice"); return [] }
        print(pre.status)   // preprocess 0.0/64.0 MiB · hit 50% · evict 0% · window 1%

        #expect(crop == again && crop.count == 4096)
        #expect(pre.status == "preprocess 0.0/64.0 MiB · hit 50% · evict 0% · window 1%")
        #expect(caches.status.hasPrefix("caches 4.0 KiB/64.0 MiB · 1 named"))
    }
}
