import Foundation
import HeadroomCache
import HeadroomTestKit

// HeadroomCache's hit rates and throughput beside libCacheSim's reference
// policies, Foundation's NSCache and Python's cachetools. Run by
// scripts/bench-cache.sh:
//
//   cache-benchmark generate DIR        writes the traces (libCacheSim oracleGeneral format) and traces.json
//   cache-benchmark generate-tests DIR  writes the tests' small traces (CacheTraceScale.test), for
//                                       scripts/cache-reference.py --tests (scripts/bench-cache.sh --test-reference)
//   cache-benchmark report DIR          replays them through Headroom and prints both tables
//                                       beside DIR/reference.json (scripts/cache-reference.py)
//   cache-benchmark hitrates DIR        Headroom against libCacheSim's best, 1 KiB entries only (quick)
//   cache-benchmark timeline DIR TRACE PERCENT
//                                       one trace's hit rate per 20k requests, with the window's share
//                                       and the shifts detected so far (1 KiB entries)
//   cache-benchmark throughput DIR      the throughput table only (HEADROOM_BENCH_PROFILE=1: Headroom
//                                       alone, =2: two threads only, =1thread: one thread only, for
//                                       a profiler; HEADROOM_BENCH_SHARDS=n: another shard count;
//                                       HEADROOM_BENCH_PRIVATE=1: each thread its own cache, to
//                                       tell the cost of sharing one cache from the machine's)

let arguments = CommandLine.arguments
let isTimeline = arguments.count == 5 && arguments[1] == "timeline"
guard isTimeline || (arguments.count == 3
          && ["generate", "generate-tests", "report", "throughput", "hitrates"].contains(arguments[1])) else {
    print("usage: cache-benchmark generate|generate-tests|report|hitrates|throughput DIRECTORY")
    print("       cache-benchmark timeline DIRECTORY TRACE PERCENT")
    exit(64)
}
let directory = URL(fileURLWithPath: arguments[2])

switch arguments[1] {
case "generate":
    try writeTraces(scale: .benchmark, to: directory)
    exit(0)
case "generate-tests":
    try writeTraces(scale: .test, to: directory)
    exit(0)
default:
    break
}

let reference = try Reference.load(from: directory)
if arguments[1] == "throughput" {
    printThroughput(try CacheTrace.read(.zipf09, scale: .benchmark, from: directory), reference: reference)
    exit(0)
}
if isTimeline {
    guard let kind = CacheTraceKind.allCases.first(where: { $0.name == arguments[3] }), let percent = Int(arguments[4]),
          (1...100).contains(percent) else {
        print("timeline: TRACE is one of \(CacheTraceKind.allCases.map(\.name).joined(separator: ", ")); PERCENT is 1 to 100")
        exit(64)
    }
    printTimeline(try CacheTrace.read(kind, scale: .benchmark, from: directory), percent: percent)
    exit(0)
}
let traces = try CacheTraceKind.allCases.map { try CacheTrace.read($0, scale: .benchmark, from: directory) }
if arguments[1] == "hitrates" {
    printQuickHitRates(traces, reference: reference)
    exit(0)
}
printHitRates(traces, reference: reference)
printThroughput(traces[CacheTraceKind.allCases.firstIndex(of: .zipf09)!], reference: reference)
