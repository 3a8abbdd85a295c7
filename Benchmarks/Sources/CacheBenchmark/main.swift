import Foundation
import HeadroomCache

// HeadroomCache's hit rates and throughput beside libCacheSim's reference
// policies, Foundation's NSCache and Python's cachetools. Run by
// scripts/bench-cache.sh:
//
//   cache-benchmark generate DIR   writes the traces (libCacheSim oracleGeneral format)
//   cache-benchmark report DIR     replays them through Headroom and prints both tables
//                                  beside DIR/reference.json (scripts/cache-reference.py)
//   cache-benchmark hitrates DIR   Headroom W-TinyLFU against libCacheSim's WTinyLFU only (quick)
//   cache-benchmark throughput DIR the throughput table only (HEADROOM_BENCH_PROFILE=1: Headroom
//                                  alone, =2: two threads only, =1thread: one thread only, for
//                                  a profiler; HEADROOM_BENCH_SHARDS=n: another shard count;
//                                  HEADROOM_BENCH_PRIVATE=1: each thread its own cache, to
//                                  tell the cost of sharing one cache from the machine's)

let arguments = CommandLine.arguments
guard arguments.count == 3, ["generate", "report", "throughput", "hitrates"].contains(arguments[1]) else {
    print("usage: cache-benchmark generate|report|hitrates|throughput DIRECTORY")
    exit(64)
}
let directory = URL(fileURLWithPath: arguments[2])

if arguments[1] == "generate" {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for trace in Traces.generate() {
        try trace.write(to: directory)
        print("wrote \(trace.fileName): \(trace.ids.count) requests")
    }
    exit(0)
}

let reference = try Reference.load(from: directory)
if arguments[1] == "hitrates" {
    for name in Traces.catalog.map(\.name) {
        let trace = try Trace.read(name: name, detail: "", keySpace: Traces.keySpace, from: directory)
        let line = sizePercents.map { percent in
            let ours = headroomHitRate(trace, percent: percent, policy: .wTinyLFU)
            let theirs = reference.hitRates[name]?["WTinyLFU"]?["\(percent)"] ?? .nan
            return "\(percent)%: \(pct(ours)) vs \(pct(theirs)) (\(pct(ours - theirs)))"
        }
        print(name.padding(toLength: 16, withPad: " ", startingAt: 0), line.joined(separator: "   "))
    }
    exit(0)
}
if arguments[1] == "throughput" {
    let trace = try Trace.read(name: "zipf-0.9", detail: "", keySpace: Traces.keySpace, from: directory)
    printThroughput(trace, reference: reference)
    exit(0)
}
let traces = try Traces.catalog.map {
    try Trace.read(name: $0.name, detail: $0.detail, keySpace: Traces.keySpace, from: directory)
}
printHitRates(traces, reference: reference)
printThroughput(traces[1], reference: reference)
