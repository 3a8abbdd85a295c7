// Hammers one disk-tier directory from one process, for the tests that run
// several of these at once (Tests/HeadroomCacheTests/SharedDiskTierTests.swift).
//
//     disk-tier-hammer DIRECTORY CAPACITY_BYTES MILLISECONDS SEED MODE
//
// MODE is `mixed` (writes, reads, a few removals), `reader` (mostly reads) or
// `writer` (only writes). Every payload names its key and version and is
// filled from them, so a read can tell a torn or foreign payload. Prints one
// `ok …` line and exits 0, or prints each violation and exits 1.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomCache
import HeadroomCore

let arguments = CommandLine.arguments
guard arguments.count == 6, let capacity = Int64(arguments[2]), let milliseconds = Int(arguments[3]),
      let seed = UInt64(arguments[4]), ["mixed", "reader", "writer"].contains(arguments[5]) else {
    print("usage: disk-tier-hammer DIRECTORY CAPACITY_BYTES MILLISECONDS SEED mixed|reader|writer")
    exit(2)
}
let mode = arguments[5]
let keySpace: UInt32 = 40

/// SplitMix64: a seeded generator, the same sequence for a seed.
struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func key(_ k: UInt32) -> [UInt8] { Array("key-\(k)".utf8) }

/// The payload for a key and version: 16 bytes naming them, then a filler both determine.
func payload(_ k: UInt32, _ version: UInt64) -> [UInt8] {
    let length = 16 + Int((UInt64(k) &* 977 &+ version &* 131) % 3000)
    var bytes = [UInt8](repeating: 0, count: length)
    bytes.withUnsafeMutableBytes {
        $0.storeBytes(of: k.littleEndian, toByteOffset: 0, as: UInt32.self)
        $0.storeBytes(of: version.littleEndian, toByteOffset: 8, as: UInt64.self)
    }
    for i in 16..<length { bytes[i] = filler(k, version, i) }
    return bytes
}

func filler(_ k: UInt32, _ version: UInt64, _ i: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: UInt64(k) &* 31 &+ version &* 7 &+ UInt64(i) &* 13 &+ (version >> 17))
}

/// Why a payload read for `k` is wrong, or nil if it is one `payload(k, _)` made.
func violation(_ bytes: UnsafeRawBufferPointer, _ k: UInt32) -> String? {
    guard bytes.count >= 16 else { return "\(bytes.count) bytes, shorter than the header" }
    let stored = bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian
    let version = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
    guard stored == k else { return "key \(stored) read for key \(k)" }
    let expected = 16 + Int((UInt64(k) &* 977 &+ version &* 131) % 3000)
    guard bytes.count == expected else { return "\(bytes.count) bytes for version \(version), expected \(expected)" }
    for i in 16..<bytes.count where bytes[i] != filler(k, version, i) {
        return "byte \(i) of version \(version) differs"
    }
    return nil
}

func nowMilliseconds() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return time.tv_sec * 1000 + time.tv_nsec / 1_000_000
}

let tier: DiskTier
do {
    tier = try DiskTier(directory: arguments[1], capacity: ByteCount(capacity))
} catch {
    print("violation: cannot open: \(error)")
    exit(1)
}
var random = Generator(state: seed)
var counter: UInt64 = 0
var reads = 0, hits = 0, writes = 0, problems: [String] = []
let writeShare = mode == "writer" ? 100 : mode == "reader" ? 15 : 55
let deadline = nowMilliseconds() + milliseconds
while nowMilliseconds() < deadline, problems.count < 10 {
    let k = UInt32.random(in: 0..<keySpace, using: &random)
    let roll = Int.random(in: 0..<100, using: &random)
    if roll < writeShare {
        counter += 1
        let version = (UInt64(getpid()) << 32) | counter
        if payload(k, version).withUnsafeBytes({ tier.write(key: key(k), bytes: $0) }) { writes += 1 }
    } else if mode == "mixed", roll >= 97 {
        tier.remove(key: key(k))
    } else {
        reads += 1
        if let problem = tier.read(key: key(k), { violation($0, k) }) {
            hits += 1
            if let problem { problems.append("violation: \(problem)") }
        }
    }
}
for problem in problems { print(problem) }
print("ok reads=\(reads) hits=\(hits) writes=\(writes) corrupt=\(tier.statistics.corrupt)")
exit(problems.isEmpty ? 0 : 1)
