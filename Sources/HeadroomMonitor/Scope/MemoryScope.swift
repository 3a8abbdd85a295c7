#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Measures a block's memory: this process's RSS (and GPU memory) before,
/// after and at its peak, with cleanup hooks that run when the block ends.
///
/// ```swift
/// let (frames, report) = try await MemoryScope.measure("decode") {
///     MemoryScope.onExit { await decoder.releaseBuffers() }   // runs even if decode throws
///     return try await decoder.decode(video)
/// }
/// print(report.rssPeakIncrease, report.rssRetained)
/// ```
///
/// Scopes nest through a task-local: a scope measured inside another appears
/// in the outer report's `children`, and the outer peak is at least the inner
/// one. The peak is sampled every `interval` while the block runs (a spike
/// shorter than that can be missed), and read once more at the end.
public enum MemoryScope {
    @TaskLocal static var current: ScopeNode?

    /// Runs `body` in a scope named `name` and returns its value with the scope's report.
    ///
    /// Cleanup hooks registered with ``onExit(_:)`` run in reverse order after
    /// `body`, whether it returned or threw, and before the "after" reading.
    /// - Parameters:
    ///   - interval: how often the peak is sampled.
    ///   - gpuBackend: where to read this process's GPU memory (NVML); `nil` reads none.
    public static func measure<T>(_ name: String, interval: Duration = .milliseconds(10),
                                  gpuBackend: (any GPUBackend)? = nil,
                                  _ body: () async throws -> T) async throws -> (value: T, report: ScopeReport) {
        let parent = current
        let node = ScopeNode(name: name, path: (parent?.path ?? []) + [name], gpuBackend: gpuBackend)
        let began = ContinuousClock.now
        let watcher = Task.detached { [node] in
            while !Task.isCancelled {
                node.observe()
                try? await Task.sleep(for: interval)
            }
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await $current.withValue(node) { try await body() })
        } catch {
            result = .failure(error)
        }
        watcher.cancel()
        for hook in node.takeHooks().reversed() { await hook() }
        let report = node.finish(seconds: (ContinuousClock.now - began).seconds)
        parent?.adopt(report)
        return (try result.get(), report)
    }

    /// Registers `hook` to run when the innermost enclosing scope ends (even on
    /// error). Outside any scope, it does nothing and returns `false`.
    @discardableResult
    public static func onExit(_ hook: @escaping @Sendable () async -> Void) -> Bool {
        guard let scope = current else { return false }
        scope.add(hook)
        return true
    }
}

/// One live scope: its readings so far, hooks and finished children.
final class ScopeNode: Sendable {
    private struct State {
        var rssBefore: ByteCount
        var rssPeak: ByteCount
        var gpuBefore: ByteCount?
        var gpuPeak: ByteCount?
        var hooks: [@Sendable () async -> Void] = []
        var children: [ScopeReport] = []
    }

    let name: String
    let path: [String]
    private let gpuBackend: (any GPUBackend)?
    private let state: Mutex<State>
    private let statm: Mutex<KeptOpenFile?>

    init(name: String, path: [String], gpuBackend: (any GPUBackend)?) {
        self.name = name
        self.path = path
        self.gpuBackend = gpuBackend
        statm = Mutex(KeptOpenFile("/proc/self/statm"))
        let first = ScopeNode.reading(statm, gpuBackend)
        state = Mutex(State(rssBefore: first.rss, rssPeak: first.rss, gpuBefore: first.gpu, gpuPeak: first.gpu))
    }

    /// Takes a reading, raises the peaks, and returns the reading.
    @discardableResult
    func observe() -> Reading {
        let now = ScopeNode.reading(statm, gpuBackend)
        state.withLock { state in
            state.rssPeak = max(state.rssPeak, now.rss)
            if let gpu = now.gpu { state.gpuPeak = max(state.gpuPeak ?? gpu, gpu) }
        }
        return now
    }

    func add(_ hook: @escaping @Sendable () async -> Void) {
        state.withLock { $0.hooks.append(hook) }
    }

    func takeHooks() -> [@Sendable () async -> Void] {
        state.withLock { state in
            defer { state.hooks = [] }
            return state.hooks
        }
    }

    func adopt(_ child: ScopeReport) {
        state.withLock { state in
            state.children.append(child)
            state.rssPeak = max(state.rssPeak, child.rssPeak)
            if let peak = child.gpuPeak { state.gpuPeak = max(state.gpuPeak ?? peak, peak) }
        }
    }

    func finish(seconds: Double) -> ScopeReport {
        // The last reading is both the "after" figure and a candidate for the peak.
        let after = observe()
        return state.withLock { state in
            ScopeReport(name: name, path: path, seconds: seconds, rssBefore: state.rssBefore, rssAfter: after.rss,
                        rssPeak: state.rssPeak, gpuBefore: state.gpuBefore, gpuAfter: after.gpu,
                        gpuPeak: after.gpu == nil ? nil : state.gpuPeak, gpuAttribution: after.attribution, children: state.children)
        }
    }

    /// One reading: RSS, GPU memory, and what the GPU memory could not be matched to, in words.
    typealias Reading = (rss: ByteCount, gpu: ByteCount?, attribution: [String])

    /// This process's RSS (from the open `statm`) and GPU memory now.
    private static func reading(_ statm: borrowing Mutex<KeptOpenFile?>, _ backend: (any GPUBackend)?) -> Reading {
        let gpu = gpuMemory(backend)
        return (statm.withLock { $0?.statm()?.resident } ?? .zero, gpu?.bytes, gpu?.notes ?? [])
    }

    /// This process's PID namespace, looked at once: NVML's PIDs are the host's.
    private static let attributor = GPUAttributor(namespace: PIDNamespace.detect())

    /// This process's GPU memory over all GPUs, from the backend's process lists,
    /// matched by PID or, in a PID namespace of its own, through its device files.
    /// The GPUs' attribution notes come with it: memory held outside this PID namespace that could not be
    /// matched is said so, not silently left out.
    private static func gpuMemory(_ backend: (any GPUBackend)?) -> (bytes: ByteCount, notes: [String])? {
        guard let backend else { return nil }
        let inventory = backend.inventory()
        guard inventory.isAvailable else { return nil }
        let me = getpid()
        var devices = inventory.devices
        let mine = attributor.attribute(&devices, tree: [me])[me] ?? .zero
        return (mine, devices.compactMap(\.attribution))
    }
}
