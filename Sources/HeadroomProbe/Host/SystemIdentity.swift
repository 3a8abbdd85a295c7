#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// The operating system and machine, as `uname` reports them.
public struct SystemIdentity: Sendable, Hashable, Codable {
    /// The kernel's name, such as `Linux`.
    public var kernel: String
    /// The kernel release, such as `6.8.0-45-generic`.
    public var kernelRelease: String
    /// The machine architecture, such as `x86_64` or `aarch64`.
    public var machine: String
    public var hostname: String

    /// The running system's identity.
    public static func current() -> SystemIdentity {
        var info = utsname()
        guard uname(&info) == 0 else {
            return SystemIdentity(kernel: "unknown", kernelRelease: "unknown", machine: "unknown", hostname: "unknown")
        }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return SystemIdentity(kernel: text(info.sysname), kernelRelease: text(info.release),
                              machine: text(info.machine), hostname: text(info.nodename))
    }
}
