#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A shared library opened at run time with `dlopen`, looked up symbol by symbol.
///
/// Opened once per path and never closed: function pointers taken from it stay
/// valid for the life of the process, and vendor libraries are not built to be
/// unloaded.
public final class DynamicLibrary: Sendable {
    /// The path or soname it was opened with.
    public let path: String
    // A dlopen handle: the library is never unloaded, so the pointer stays valid and may be shared.
    nonisolated(unsafe) private let handle: UnsafeMutableRawPointer

    private static let opened = Mutex<[String: DynamicLibrary]>([:])

    private init(path: String, handle: UnsafeMutableRawPointer) {
        self.path = path
        self.handle = handle
    }

    /// Opens `path` (a soname such as `libnvidia-ml.so.1`, or a file path), or
    /// returns the library already opened from it.
    /// - Throws: ``DynamicLibraryError`` with `dlerror()`'s text.
    public static func open(_ path: String) throws(DynamicLibraryError) -> DynamicLibrary {
        let result: Result<DynamicLibrary, DynamicLibraryError> = opened.withLock { cache in
            if let library = cache[path] { return .success(library) }
            // A path (not a soname the loader searches for) must be a regular file: dlopen of a FIFO never returns.
            if path.contains("/") {
                do {
                    try OutsidePath.checkRegularFile(path)
                } catch {
                    return .failure(DynamicLibraryError(library: path, symbol: nil, message: "cannot load \(error)"))
                }
            }
            _ = dlerror()
            guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
                return .failure(DynamicLibraryError(library: path, symbol: nil, message: lastError() ?? "dlopen failed"))
            }
            let library = DynamicLibrary(path: path, handle: handle)
            cache[path] = library
            return .success(library)
        }
        return try result.get()
    }

    /// The symbol `name` as a value of type `T` (a C function pointer type), or `nil` where absent.
    public func lookup<T>(_ name: String, as type: T.Type = T.self) -> T? {
        guard let symbol = dlsym(handle, name) else { return nil }
        return unsafeBitCast(symbol, to: T.self)
    }

    /// The symbol `name`, which the caller cannot do without.
    /// - Throws: ``DynamicLibraryError`` naming the library and the symbol.
    public func require<T>(_ name: String, as type: T.Type = T.self) throws(DynamicLibraryError) -> T {
        try require(firstOf: [name], as: type)
    }

    /// The first of `names` the library has: a newer versioned symbol, then its older forms.
    /// - Throws: ``DynamicLibraryError`` naming the library and the last symbol tried.
    public func require<T>(firstOf names: [String], as type: T.Type = T.self) throws(DynamicLibraryError) -> T {
        _ = dlerror()
        for name in names {
            if let value = lookup(name, as: type) { return value }
        }
        throw DynamicLibraryError(library: path, symbol: names.last ?? "", message: DynamicLibrary.lastError() ?? "symbol not found")
    }

    private static func lastError() -> String? {
        dlerror().map { String(cString: $0) }
    }
}

/// A library that could not be opened, or a symbol it lacks.
public struct DynamicLibraryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var library: String
    public var symbol: String?
    /// The loader's own words (`dlerror()`).
    public var message: String

    public var description: String {
        // dlerror() often starts with the path; say it once.
        let detail = message.hasPrefix(library + ": ") ? String(message.dropFirst(library.count + 2)) : message
        if let symbol { return "\(library) has no symbol \(symbol) (\(detail))" }
        return "cannot load \(library) (\(detail))"
    }
}
