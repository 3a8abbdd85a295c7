import FoundationEssentials
import Synchronization

/// The batch sizes learned per workload, in memory and optionally in a small
/// JSON file, so the next run starts at the size the last one settled on.
public final class LearnedLimits: Sendable {
    /// The file the sizes are kept in, if any.
    public let file: String?
    private let sizes: Mutex<[String: Int]>

    /// Limits kept in memory only.
    public init() {
        file = nil
        sizes = Mutex([:])
    }

    /// Limits kept in `file` (created on first save). A missing or unreadable
    /// file starts empty: a lost hint costs one probe, never a failure.
    public init(file: String) {
        self.file = file
        let data = try? Data(contentsOf: URL(fileURLWithPath: file))
        let decoded = data.flatMap { try? JSONDecoder().decode([String: Int].self, from: $0) } ?? [:]
        sizes = Mutex(decoded.filter { $0.value > 0 })
    }

    /// The size learned for `key`.
    public func size(for key: String) -> Int? {
        sizes.withLock { $0[key] }
    }

    /// Records `size` for `key` and writes the file (atomically) if there is one.
    public func record(_ size: Int, for key: String) {
        let snapshot = sizes.withLock { sizes -> [String: Int] in
            sizes[key] = size
            return sizes
        }
        guard let file, let data = try? JSONEncoder().encode(snapshot) else { return }
        // A hint that cannot be saved is not worth failing a finished run for.
        try? data.write(to: URL(fileURLWithPath: file), options: .atomic)
    }
}
