#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomProbe
import Testing

@Suite("HostMemory")
struct HostMemoryTests {
    static let meminfo = """
        MemTotal:       16384000 kB
        MemFree:         2048000 kB
        MemAvailable:    9000000 kB
        Buffers:          100000 kB
        Cached:          4000000 kB
        SwapCached:            0 kB
        Active(file):    1500000 kB
        Inactive(file):  2500000 kB
        SReclaimable:     300000 kB
        SwapTotal:       8000000 kB
        SwapFree:        6500000 kB
        HugePages_Total:       0
        Hugepagesize:       2048 kB

        """

    /// `/proc/meminfo` without `MemAvailable`, as kernels before 3.14 write it.
    static let oldMeminfo = """
        MemTotal:        8000000 kB
        MemFree:         1000000 kB
        Buffers:           50000 kB
        Cached:          3000000 kB
        Active(file):     400000 kB
        Inactive(file):   600000 kB
        SReclaimable:     200000 kB
        SwapTotal:             0 kB
        SwapFree:              0 kB

        """

    /// A `/proc/zoneinfo` with three zones whose low watermarks sum to 100 + 14353 + 6693 = 21146 pages.
    /// The `min`, `high` and `protection` lines must not be counted.
    static let zoneinfo = """
        Node 0, zone      DMA
          per-node stats
              nr_inactive_anon 12
          pages free     3840
                min      50
                low      100
                high     150
                spanned  4095
                protection: (0, 2966, 23809, 23809, 23809)
        Node 0, zone    DMA32
          pages free     749001
                min      8000
                low      14353
                high     20000
        Node 0, zone   Normal
          pages free     5000000
                min      3000
                low      6693
                high     9000
        Node 0, zone  Movable
          pages free     0
                min      0
                low      0
                high     0

        """

    @Test("a normal meminfo: used, swap, cached")
    func normal() throws {
        let host = try withFakeSystem(["/proc/meminfo": Self.meminfo]) { try HostMemory.read(root: $0.root) }
        #expect(host.total.bytes == kB(16_384_000))
        #expect(host.available.bytes == kB(9_000_000))
        #expect(host.used.bytes == kB(16_384_000 - 9_000_000))
        #expect(host.free.bytes == kB(2_048_000))
        #expect(host.cached.bytes == kB(4_000_000 + 300_000))
        #expect(host.swapTotal.bytes == kB(8_000_000))
        #expect(host.swapFree.bytes == kB(6_500_000))
        #expect(host.swapUsed.bytes == kB(1_500_000))
        #expect(!host.availableIsEstimated)
        #expect(abs(host.usedPercent - 7_384_000.0 / 16_384_000.0 * 100) < 1e-9)
    }

    @Test("without MemAvailable: psutil's formula over /proc/zoneinfo")
    func psutilEstimate() throws {
        let host = try withFakeSystem(["/proc/meminfo": Self.oldMeminfo, "/proc/zoneinfo": Self.zoneinfo]) {
            try HostMemory.read(root: $0.root)
        }
        let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let watermarkLow = Double((100 + 14_353 + 6_693) * pageSize)
        let free = Double(kB(1_000_000))
        let pageCache = Double(kB(400_000 + 600_000))
        let slab = Double(kB(200_000))
        var expected = free - watermarkLow
        expected += pageCache - min(pageCache / 2, watermarkLow)
        expected += slab - min(slab / 2, watermarkLow)
        #expect(host.availableIsEstimated)
        #expect(host.available.bytes == Int64(expected))
        // With 4 KiB pages: 1 024 000 000 + 1 024 000 000 + 204 800 000 − 3 × 86 614 016.
        if pageSize == 4096 { #expect(host.available.bytes == 1_992_957_952) }
        #expect(host.used == host.total - host.available)
        #expect(host.cached.bytes == kB(3_000_000 + 200_000))
    }

    @Test("psutil's formula caps each deduction at half of the cache")
    func psutilEstimateHalfCap() throws {
        // A watermark (600 000 kB) above half the page cache (500 000 kB) and half the slab
        // (100 000 kB) but below MemFree: the page cache and slab each keep half.
        let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let lowPages = kB(600_000) / pageSize
        let zoneinfo = "Node 0, zone Normal\n  pages free 1\n        low      \(lowPages)\n"
        let host = try withFakeSystem(["/proc/meminfo": Self.oldMeminfo, "/proc/zoneinfo": zoneinfo]) {
            try HostMemory.read(root: $0.root)
        }
        let watermarkLow = Double(lowPages * pageSize)
        var expected = Double(kB(1_000_000)) - watermarkLow
        expected += Double(kB(1_000_000)) / 2
        expected += Double(kB(200_000)) / 2
        #expect(host.available.bytes == Int64(expected))
        // 409 600 000 + 512 000 000 + 102 400 000 with 4 KiB or 64 KiB pages (150 000 or 9 375 pages).
        #expect(host.available.bytes == 1_024_000_000)
    }

    @Test("a watermark above everything: available is zero, not negative")
    func psutilEstimateNegative() throws {
        let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let lowPages = kB(100_000_000) / pageSize
        let zoneinfo = "Node 0, zone Normal\n        low      \(lowPages)\n"
        let host = try withFakeSystem(["/proc/meminfo": Self.oldMeminfo, "/proc/zoneinfo": zoneinfo]) {
            try HostMemory.read(root: $0.root)
        }
        #expect(host.available == .zero)
        #expect(host.used == host.total)
    }

    @Test("MemAvailable: 0 is treated as missing, as psutil does")
    func zeroAvailable() throws {
        let text = Self.oldMeminfo + "MemAvailable:          0 kB\n"
        let host = try withFakeSystem(["/proc/meminfo": text]) { try HostMemory.read(root: $0.root) }
        #expect(host.availableIsEstimated)
        #expect(host.available.bytes == kB(1_000_000 + 3_000_000))
    }

    @Test("without MemAvailable or zoneinfo: MemFree + Cached")
    func fallback() throws {
        let host = try withFakeSystem(["/proc/meminfo": Self.oldMeminfo]) { try HostMemory.read(root: $0.root) }
        #expect(host.availableIsEstimated)
        // Cached only: SReclaimable is not in the fallback.
        #expect(host.available.bytes == kB(1_000_000 + 3_000_000))
        #expect(host.used.bytes == kB(8_000_000 - 4_000_000))
    }

    @Test("without the LRU lines the formula cannot run: MemFree + Cached even with zoneinfo")
    func fallbackWithoutLRU() throws {
        let text = "MemTotal: 8000000 kB\nMemFree: 1000000 kB\nCached: 500000 kB\n"
        let host = try withFakeSystem(["/proc/meminfo": text, "/proc/zoneinfo": Self.zoneinfo]) {
            try HostMemory.read(root: $0.root)
        }
        #expect(host.available.bytes == kB(1_500_000))
    }

    @Test("available above total is replaced by free")
    func availableAboveTotal() throws {
        let text = "MemTotal: 1000 kB\nMemFree: 300 kB\nMemAvailable: 2000 kB\nCached: 100 kB\n"
        let host = try withFakeSystem(["/proc/meminfo": text]) { try HostMemory.read(root: $0.root) }
        #expect(host.available.bytes == kB(300))
        #expect(host.used.bytes == kB(700))
        #expect(!host.availableIsEstimated)
    }

    @Test("malformed meminfo is .malformed and names the file", arguments: [
        "MemFree: 100 kB\nMemAvailable: 50 kB\n",
        "MemTotal: 100 kB\n",
        "garbage\n\u{0}\u{1}binary",
        "",
        "MemTotal: lots kB\nMemFree: 1 kB\n",
    ])
    func malformed(text: String) throws {
        try withFakeSystem(["/proc/meminfo": text]) { tree in
            let path = tree.root.resolve("/proc/meminfo")
            #expect {
                try HostMemory.read(root: tree.root)
            } throws: { error in
                guard let error = error as? ProbeError else { return false }
                return error.code == .malformed && error.path == path && error.description.hasPrefix(path)
            }
        }
    }

    @Test("a missing meminfo is .missing")
    func missing() throws {
        try withFakeSystem { tree in
            let path = tree.root.resolve("/proc/meminfo")
            #expect(path.hasPrefix(tree.path))
            #expect {
                try HostMemory.read(root: tree.root)
            } throws: { error in
                (error as? ProbeError).map { $0.code == .missing && $0.path == path } ?? false
            }
        }
    }

    @Test("a directory in meminfo's place is .unreadable")
    func unreadable() throws {
        try withFakeSystem { tree in
            try tree.makeDirectory("/proc/meminfo")
            #expect {
                try HostMemory.read(root: tree.root)
            } throws: { error in
                (error as? ProbeError)?.code == .unreadable
            }
        }
    }
}
