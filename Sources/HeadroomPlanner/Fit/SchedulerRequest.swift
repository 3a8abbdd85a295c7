/// Resource requests for a scheduler, from a ``FitReport``.
public enum SchedulerRequest {
    /// Host RAM asked for beyond the layers kept in host RAM: the process, the
    /// framework and staging while weights load.
    public static let hostBaseline = ByteCount.gibibytes(4)

    public enum Kind: String, Sendable, CaseIterable {
        case kubernetes, slurm
    }

    /// GPUs to request and the GPU they are sized for: this machine's largest, else the smallest catalog GPU that fits.
    static func gpus(_ report: FitReport) -> (count: Int, name: String, perGPU: ByteCount) {
        let perGPU = report.tiers.recommended
        if let gpu = report.thisMachine.gpus.max(by: { $0.free < $1.free }) {
            if gpu.largestBatch > 0 { return (1, gpu.name, perGPU) }
            if let split = report.split, split.fitsHost { return (1, gpu.name + " with \(split.layersInHost) layers in host RAM", split.gpuBytes) }
        }
        let fitting = report.catalog.filter { !$0.gpu.isUnifiedMemory && $0.gpuCount != nil }
        if let single = fitting.filter({ $0.verdict == .fits }).min(by: { $0.gpu.memory < $1.gpu.memory }) {
            return (1, single.gpu.name, perGPU)
        }
        if let several = fitting.min(by: { ($0.gpuCount ?? 99, $0.gpu.memory) < ($1.gpuCount ?? 99, $1.gpu.memory) }) {
            return (several.gpuCount ?? 1, several.gpu.name, perGPU)
        }
        return (1, "none in the catalog", perGPU)
    }

    /// Host memory to request, in whole GiB.
    static func hostGiB(_ report: FitReport) -> Int64 {
        let bytes = (report.split?.hostBytes ?? .zero) + hostBaseline
        return (bytes.bytes + (1 << 30) - 1) >> 30
    }

    /// The request as text for `kind`.
    public static func render(_ report: FitReport, as kind: Kind) -> String {
        let (count, name, perGPU) = gpus(report)
        let memory = hostGiB(report)
        switch kind {
        case .kubernetes:
            return """
                # headroom plan: \(count) GPU(s) sized for \(name), \(perGPU) per GPU at batch 1
                resources:
                  requests:
                    memory: "\(memory)Gi"
                    nvidia.com/gpu: \(count)
                  limits:
                    memory: "\(memory)Gi"
                    nvidia.com/gpu: \(count)

                """
        case .slurm:
            return """
                # headroom plan: \(count) GPU(s) sized for \(name), \(perGPU) per GPU at batch 1
                #SBATCH --gres=gpu:\(count)
                #SBATCH --mem=\(memory)G

                """
        }
    }
}
