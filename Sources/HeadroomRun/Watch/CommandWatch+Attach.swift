#if canImport(Glibc)
import Glibc
#endif

extension CommandWatch {
    /// Samples running process `pid` and its descendants every `interval`, handing each
    /// sample to `sample`, until the process is gone or a signal interrupts the watch
    /// (``ChildSignals/isInterrupted``, checked every 50 ms so a long interval does not delay the end).
    /// - Throws: ``CommandWatchError`` when there is no process `pid`.
    public static func attach(pid: Int32, interval: Duration, options: Sampler.Options,
                              sample: @escaping @Sendable (MemorySample) -> Void) async throws(CommandWatchError) {
        guard kill(pid, 0) == 0 || errno == EPERM else {
            throw CommandWatchError(program: "process \(pid)", kind: .noProcess, reason: "no process \(pid)")
        }
        let sampler = Sampler(pid: pid, options: options)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await each in sampler.samples(every: interval) { sample(each) }
            }
            group.addTask {
                while !ChildSignals.isInterrupted, !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
