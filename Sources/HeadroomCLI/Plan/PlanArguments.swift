import ArgumentParser
import HeadroomAdvisor
import HeadroomRun

extension Precision: ExpressibleByArgument {}
extension MemoryModelOptions.Recompute: ExpressibleByArgument {}
extension SchedulerRequest.Kind: ExpressibleByArgument {}
extension MemoryModelOptions.Run: ExpressibleByArgument {}
extension MemoryModelOptions.Device: ExpressibleByArgument {}
extension MemoryModelOptions.Attention: ExpressibleByArgument {}
extension MemoryModelOptions.Optimizer: ExpressibleByArgument {}
extension KVCacheType: ExpressibleByArgument {}
extension EngineSettings.Kind: ExpressibleByArgument {}

/// `--image-size 1024` or `512x768`.
extension ImageSize: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}

/// A size on the command line: `512MiB`, `6.1GiB`, `4G`.
struct SizeArgument: ExpressibleByArgument {
    var value: ByteCount

    init?(argument: String) {
        guard let value = try? ByteCount(parsing: argument), value.bytes >= 0 else { return nil }
        self.value = value
    }
}

/// `--measured B:SIZE`: memory measured at batch size B.
struct MeasuredArgument: ExpressibleByArgument {
    var point: MeasuredPoint

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let batch = Int64(parts[0]), batch > 0,
              let size = try? ByteCount(parsing: String(parts[1])), size.bytes > 0 else { return nil }
        point = MeasuredPoint(batchSize: batch, memory: size)
    }
}
