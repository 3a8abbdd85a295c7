/// A value the disk tier can store: it lends its bytes for writing and is
/// rebuilt from bytes read back (memory-mapped, valid only during the call).
public protocol DiskCodable: Sendable {
    /// Calls `body` with the bytes that represent this value.
    func withDiskBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
    /// Rebuilds a value from bytes `withDiskBytes` gave; throws if they do not form one.
    init(diskBytes: UnsafeRawBufferPointer) throws
}

/// A fixed-size number stored on disk as its in-memory bytes (this machine's byte order).
public protocol DiskScalar: BitwiseCopyable, Sendable {}

extension UInt8: DiskScalar {}
extension Int8: DiskScalar {}
extension UInt16: DiskScalar {}
extension Int16: DiskScalar {}
extension UInt32: DiskScalar {}
extension Int32: DiskScalar {}
extension UInt64: DiskScalar {}
extension Int64: DiskScalar {}
extension Float: DiskScalar {}
extension Double: DiskScalar {}

extension Array: DiskCodable where Element: DiskScalar {
    public func withDiskBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }

    public init(diskBytes: UnsafeRawBufferPointer) throws {
        let stride = MemoryLayout<Element>.stride
        guard diskBytes.count % stride == 0 else {
            throw DiskTierError(path: "", reason: "\(diskBytes.count) bytes is not a whole number of \(Element.self)")
        }
        self = Array(unsafeUninitializedCapacity: diskBytes.count / stride) { buffer, count in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: diskBytes)
            count = diskBytes.count / stride
        }
    }
}

extension String: DiskCodable {
    public func withDiskBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Array(utf8).withUnsafeBytes(body)
    }

    public init(diskBytes: UnsafeRawBufferPointer) throws {
        self = String(decoding: diskBytes, as: UTF8.self)
    }
}
