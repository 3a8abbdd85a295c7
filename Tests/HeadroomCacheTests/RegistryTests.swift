import HeadroomCore
import Testing
@testable import HeadroomCache

@Suite("CacheRegistry")
struct RegistryTests {
    @Test("named caches share one budget and keep their own statistics")
    func sharedBudget() throws {
        let registry = CacheRegistry(budget: 10_000)
        let pre: MemoryCache<Int, [UInt8]> = try registry.makeCache(named: "preprocess", shards: 1)
        let post: MemoryCache<Int, [UInt8]> = try registry.makeCache(named: "postprocess", shards: 1)
        for i in 0..<80 { pre.insert([UInt8](repeating: 1, count: 100), forKey: i) }
        #expect(pre.bytes == 8000)
        for i in 0..<60 {
            post.insert([UInt8](repeating: 2, count: 100), forKey: i)
            #expect(registry.bytes.bytes <= 10_000)
        }
        #expect(pre.bytes.bytes <= 5000 + 100)
        #expect(post.bytes.bytes >= 4900)
        _ = pre.value(forKey: 79)
        _ = post.value(forKey: 1000)
        let statistics = registry.statistics
        #expect(statistics.map(\.name) == ["preprocess", "postprocess"])
        #expect(statistics[0].lifetime.hits == 1 && statistics[1].lifetime.misses == 1)
        #expect(registry.status.contains("preprocess"))
        #expect(throws: CacheRegistryError.self) {
            let _: MemoryCache<Int, Int> = try registry.makeCache(named: "preprocess")
        }
    }
}
