#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import HeadroomMonitor
import Synchronization

/// A process tree sampled on a background task, behind an `hr_sampler *`: before, peak and after of its RSS and GPU memory.
final class SamplerHandle: Sendable {
    /// Figures so far.
    struct Figures: Encodable {
        var rssBeforeBytes: Int64
        var rssPeakBytes: Int64
        var rssAfterBytes: Int64
        var gpuBeforeBytes: Int64?
        var gpuPeakBytes: Int64?
        var gpuAfterBytes: Int64?
        var samples: Int
        var seconds: Double

        init(_ sample: MemorySample) {
            let rss = sample.treeRSS.bytes
            let gpu = Figures.gpu(sample)
            (rssBeforeBytes, rssPeakBytes, rssAfterBytes) = (rss, rss, rss)
            (gpuBeforeBytes, gpuPeakBytes, gpuAfterBytes) = (gpu, gpu, gpu)
            samples = 1
            seconds = sample.time
        }

        mutating func add(_ sample: MemorySample) {
            let rss = sample.treeRSS.bytes
            rssPeakBytes = max(rssPeakBytes, rss)
            rssAfterBytes = rss
            if let gpu = Figures.gpu(sample) {
                gpuPeakBytes = max(gpuPeakBytes ?? gpu, gpu)
                gpuAfterBytes = gpu
            }
            samples += 1
            seconds = sample.time
        }

        /// The tree's GPU memory over every GPU; `nil` without a readable GPU.
        static func gpu(_ sample: MemorySample) -> Int64? {
            sample.gpus.isEmpty ? nil : sample.gpus.reduce(0) { $0 + $1.treeUsed.bytes }
        }
    }

    let sampler: Sampler
    let figures: Mutex<Figures>
    let stopped = Atomic<Bool>(false)
    let finished = DispatchSemaphore(value: 0)

    init(pid: Int32, interval: Duration) {
        sampler = Sampler(pid: pid, options: Sampler.Options(readsPSS: false, readsGPUs: true, readsContainer: false))
        figures = Mutex(Figures(sampler.sample()))
        Thread.run { [self] in
            while !stopped.load(ordering: .relaxed) {
                let sample = sampler.sample()
                if !sample.processes.isEmpty { figures.withLock { $0.add(sample) } }
                Thread.sleep(interval)
            }
            finished.signal()
        }
    }

    /// Stops the sampling thread, takes a last sample and returns the figures.
    func stop() -> Figures {
        stopped.store(true, ordering: .relaxed)
        finished.wait()
        let last = sampler.sample()
        return figures.withLock { figures in
            if !last.processes.isEmpty { figures.add(last) }
            return figures
        }
    }
}

/// A plain thread for the sampler: it sleeps between samples, which a task of the
/// caller's (Python's) process must not do on the shared cooperative pool.
enum Thread {
    static func run(_ body: @escaping @Sendable () -> Void) {
        DispatchQueue.global(qos: .utility).async(execute: body)
    }

    static func sleep(_ duration: Duration) {
        let parts = duration.components
        var request = timespec(tv_sec: Int(parts.seconds), tv_nsec: Int(parts.attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 { request = remaining }
    }
}

@_cdecl("hr_sampler_start")
public func hr_sampler_start(_ pid: Int32, _ intervalMilliseconds: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    call {
        let out = try required(out, "out")
        out.pointee = nil
        guard pid > 0 else { throw CallError.argument("pid must be above zero; got \(pid)") }
        guard (1...3_600_000).contains(intervalMilliseconds) else {
            throw CallError.argument("interval_ms must be 1 to 3600000; got \(intervalMilliseconds)")
        }
        guard kill(pid, 0) == 0 || errno == EPERM else { throw CallError.failed("no process \(pid)") }
        let handle = SamplerHandle(pid: pid, interval: .milliseconds(intervalMilliseconds))
        out.pointee = OpaquePointer(Unmanaged.passRetained(handle).toOpaque())
    }
}

@_cdecl("hr_sampler_stop")
public func hr_sampler_stop(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    call {
        out?.pointee = nil
        guard let sampler else { throw CallError.argument("sampler is NULL") }
        let handle = Unmanaged<SamplerHandle>.fromOpaque(UnsafeRawPointer(sampler)).takeRetainedValue()
        try give(try JSONOutput.encode(handle.stop()), to: out)
    }
}
