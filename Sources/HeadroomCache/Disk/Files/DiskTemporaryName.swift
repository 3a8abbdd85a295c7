#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names of files being written: `<final name>.tmp-<pid>-<random>`. The pid
/// lets another process tell a live writer's file from a dead one's leftover.
enum DiskTemporaryName {
    static let marker = ".tmp-"
    /// A leftover older than this is removed even if its pid is alive (the pid
    /// may have been reused, or belong to another pid namespace).
    static let staleAfterNanoseconds: Int64 = 10 * 60 * 1_000_000_000

    /// A fresh temporary name for a file that will become `name`.
    static func make(for name: String) -> String {
        "\(name)\(marker)\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    }

    static func isTemporary(_ name: String) -> Bool {
        let bytes = Array(name.utf8), mark = Array(marker.utf8)
        guard bytes.count >= mark.count else { return false }
        return (0...(bytes.count - mark.count)).contains { bytes[$0..<($0 + mark.count)].elementsEqual(mark) }
    }

    /// Whether a temporary file is a leftover: its writer is gone, or it is old.
    static func isAbandoned(_ name: String, modified: Int64, now: Int64) -> Bool {
        if now - modified > staleAfterNanoseconds { return true }
        guard let pid = writer(of: name) else { return true }
        if pid == getpid() { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// The pid in a temporary name, or nil if the name does not carry one.
    static func writer(of name: String) -> pid_t? {
        let bytes = Array(name.utf8), mark = Array(marker.utf8)
        guard bytes.count > mark.count else { return nil }
        guard let start = stride(from: bytes.count - mark.count, through: 0, by: -1)
            .first(where: { bytes[$0..<($0 + mark.count)].elementsEqual(mark) }) else { return nil }
        let digits = bytes[(start + mark.count)...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard !digits.isEmpty, digits.count <= 9, let pid = Int32(String(decoding: digits, as: UTF8.self)), pid > 0
        else { return nil }
        return pid
    }
}
