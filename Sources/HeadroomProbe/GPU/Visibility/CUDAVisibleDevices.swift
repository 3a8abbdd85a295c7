#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `CUDA_VISIBLE_DEVICES` read as CUDA reads it: a comma-separated list of GPU
/// indices, GPU UUIDs (`GPU-…`, or a unique prefix of one) and MIG UUIDs
/// (`MIG-…`, or the older `MIG-GPU-<uuid>/<GI>/<CI>`).
///
/// CUDA stops at the first entry it cannot use and ignores the rest; an empty
/// value, `-1` or `NoDevFiles` gives the job no GPU.
public struct CUDAVisibleDevices: Sendable, Hashable {
    /// The environment variable.
    public static let variable = "CUDA_VISIBLE_DEVICES"

    /// One entry of the list.
    public enum Entry: Sendable, Hashable {
        /// A GPU by its index (NVML's, in PCI bus order, as with `CUDA_DEVICE_ORDER=PCI_BUS_ID`).
        case index(Int)
        /// A GPU by its UUID or a prefix of it, `GPU-` included.
        case gpuUUID(String)
        /// A MIG device by its UUID or a prefix of it, `MIG-` included.
        case migUUID(String)
        /// A MIG device as drivers before R470 named it: `MIG-GPU-<uuid>/<GI>/<CI>`.
        case migInstance(gpuUUID: String, gpuInstanceID: Int, computeInstanceID: Int)
    }

    /// The variable's value as given.
    public var value: String
    /// The entries CUDA uses, in order, up to the first it cannot parse.
    public var entries: [Entry]
    /// The first entry CUDA cannot parse, after which it ignores the rest; `nil` when all parse.
    public var unparsed: String?

    /// Parses `value`.
    public init(_ value: String) {
        self.value = value
        entries = []
        for raw in value.split(separator: ",", omittingEmptySubsequences: false) {
            let text = String(raw.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
            guard let entry = CUDAVisibleDevices.entry(text) else {
                // An empty value, "-1" or "NoDevFiles" hides every GPU: the first entry ends the list there.
                if !(entries.isEmpty && CUDAVisibleDevices.meansNone(text)) { unparsed = text }
                break
            }
            entries.append(entry)
        }
    }

    /// Whether the value gives the job no GPU at all.
    public var hidesEveryGPU: Bool { entries.isEmpty }

    /// The variable from this process's environment; `nil` when it is not set.
    public static func fromEnvironment() -> String? {
        getenv(variable).map { String(cString: $0) }
    }

    static func meansNone(_ text: String) -> Bool {
        text.isEmpty || text == "NoDevFiles" || (text.hasPrefix("-") && Int(text) != nil)
    }

    static func entry(_ text: String) -> Entry? {
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Int(text).map(Entry.index)
        }
        if text.hasPrefix("MIG-GPU-"), text.contains("/") {
            let parts = text.dropFirst(4).split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, let gi = Int(parts[1]), let ci = Int(parts[2]) else { return nil }
            return .migInstance(gpuUUID: String(parts[0]), gpuInstanceID: gi, computeInstanceID: ci)
        }
        if text.hasPrefix("MIG-"), text.count > 4 { return .migUUID(text) }
        if text.hasPrefix("GPU-"), text.count > 4 { return .gpuUUID(text) }
        return nil
    }
}
