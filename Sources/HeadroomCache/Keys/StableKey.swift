/// A key whose bytes are the same in every run, so the disk tier can find an
/// entry again after a restart. (`hashValue` is seeded per process and cannot.)
public protocol StableKey: Hashable, Sendable {
    /// Bytes that identify the key, equal across runs and machines.
    var stableBytes: [UInt8] { get }
}

extension ContentKey: StableKey {
    public var stableBytes: [UInt8] { digest }
}

extension String: StableKey {
    public var stableBytes: [UInt8] { Array(utf8) }
}

extension Int: StableKey {
    public var stableBytes: [UInt8] { withUnsafeBytes(of: Int64(self).littleEndian) { Array($0) } }
}

extension UInt64: StableKey {
    public var stableBytes: [UInt8] { withUnsafeBytes(of: littleEndian) { Array($0) } }
}
