#if canImport(Glibc)
import Glibc
#endif

/// The status codes of `headroom.h`.
enum Status {
    static let ok: Int32 = 0
    static let argument: Int32 = -1
    static let failed: Int32 = -2
    static let exhausted: Int32 = -3
}

/// A failure to report across the C boundary: the status and the message `hr_last_error` returns.
struct CallError: Error {
    var status: Int32
    var message: String

    static func argument(_ message: String) -> CallError { CallError(status: Status.argument, message: message) }
    static func failed(_ message: String) -> CallError { CallError(status: Status.failed, message: message) }
}

/// The per-thread last error: a C string owned by the library, replaced by the next failing call.
enum LastError {
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { free($0) }
        return key
    }()
    static let empty: StaticString = ""

    static func set(_ message: String) {
        free(pthread_getspecific(key))
        pthread_setspecific(key, strdup(message))
    }

    static var current: UnsafePointer<CChar> {
        if let text = pthread_getspecific(key) { return UnsafePointer(text.assumingMemoryBound(to: CChar.self)) }
        return UnsafeRawPointer(empty.utf8Start).assumingMemoryBound(to: CChar.self)
    }
}

/// Runs `body` and turns a thrown ``CallError`` (or any Swift error) into a status and a per-thread message,
/// so that nothing Swift throws reaches the caller.
func call(_ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return Status.ok
    } catch let error as CallError {
        LastError.set(error.message)
        return error.status
    } catch {
        LastError.set("\(error)")
        return Status.failed
    }
}

/// The string at `pointer`, or `nil` for NULL; invalid UTF-8 is repaired, never trapped on.
func string(_ pointer: UnsafePointer<CChar>?) -> String? {
    pointer.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) }
}

/// Hands `text` to the caller through `out` as a string it frees with `hr_string_free`.
func give(_ text: String, to out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws {
    guard let out else { throw CallError.argument("out is NULL") }
    guard let copy = strdup(text) else { throw CallError.failed("out of memory copying the result") }
    out.pointee = copy
}

/// Checks an out-pointer the caller passes, so a NULL one is an error rather than a crash.
func required<T>(_ pointer: UnsafeMutablePointer<T>?, _ name: String) throws -> UnsafeMutablePointer<T> {
    guard let pointer else { throw CallError.argument("\(name) is NULL") }
    return pointer
}

/// A size from C, checked: at least 1 and within `Int`.
func positive(_ value: Int64, _ name: String) throws -> Int {
    guard value >= 1, let size = Int(exactly: value) else { throw CallError.argument("\(name) must be 1 or more; got \(value)") }
    return size
}

/// A count of buffer entries from C, checked.
func count(_ value: Int64, _ name: String) throws -> Int {
    guard value >= 0, let count = Int(exactly: value) else { throw CallError.argument("\(name) must be 0 or more; got \(value)") }
    return count
}

@_cdecl("hr_abi_version")
public func hr_abi_version() -> Int32 { 2 }

@_cdecl("hr_last_error")
public func hr_last_error() -> UnsafePointer<CChar> { LastError.current }

@_cdecl("hr_string_free")
public func hr_string_free(_ text: UnsafeMutablePointer<CChar>?) { free(text) }
