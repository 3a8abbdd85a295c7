import Foundation
import HeadroomProbe
import Synchronization

/// Compiles a fake vendor library from its C source once per set of
/// preprocessor flags, and hands out copies that each play their own scenario.
///
/// Each copy is a new file in a new directory, so the loader opens it anew and
/// its state is its own; the scenario is written beside it as `<path>.conf`,
/// which the library reads when it initializes. Compiling needs a C compiler:
/// `cc`, or the one named by `CC`.
final class FakeLibraryBuilder: Sendable {
    /// The C file, beside the Swift file that owns the builder in the source tree.
    let source: String
    /// The file name copies get (`libnvidia-ml.so.1`), as the real library is named.
    let fileName: String
    /// Extra linker flags (`-lpthread`).
    let linkerFlags: [String]

    /// Compiled libraries by flag set, so each variant is built once per process.
    private let compiled = Mutex<[[String]: Result<String, FakeLibraryError>]>([:])

    init(source: String, fileName: String, linkerFlags: [String] = ["-ldl"]) {
        self.source = source
        self.fileName = fileName
        self.linkerFlags = linkerFlags
    }

    /// A fresh copy of the library compiled with `defines`, playing `scenario`.
    func library(scenario: String, defines: [String]) throws(FakeLibraryError) -> String {
        let built = try compiledLibrary(defines: defines.sorted())
        let copy = FakeLibraryBuilder.workDirectory.appendingPathComponent("scenario-\(UUID().uuidString)")
        let path = copy.appendingPathComponent(fileName).path
        do {
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: built, toPath: path)
            try Data(scenario.utf8).write(to: URL(fileURLWithPath: path + ".conf"))
        } catch {
            throw FakeLibraryError(message: "cannot copy the fake library to \(path): \(error)")
        }
        return path
    }

    /// One directory per test process for compiled libraries and scenario copies, removed at exit.
    static let workDirectory: URL = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("headroom-fakes-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        atexit { try? FileManager.default.removeItem(at: FakeLibraryBuilder.workDirectory) }
        return directory
    }()

    private func compiledLibrary(defines: [String]) throws(FakeLibraryError) -> String {
        // Compiling under the lock makes parallel tests that need the same variant wait for one build.
        let result = compiled.withLock { cache in
            if let known = cache[defines] { return known }
            let built = Result { () throws(FakeLibraryError) -> String in try compile(defines: defines) }
            cache[defines] = built
            return built
        }
        return try result.get()
    }

    private func compile(defines: [String]) throws(FakeLibraryError) -> String {
        guard FileManager.default.fileExists(atPath: source) else {
            throw FakeLibraryError(message: "cannot find the fake library's source at \(source); it is read from the source tree")
        }
        let compiler = try FakeLibraryBuilder.findCompiler()
        let stem = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        let variant = defines.isEmpty ? "full" : defines.map { $0.replacingOccurrences(of: "-D", with: "") }.joined(separator: "-")
        let output = FakeLibraryBuilder.workDirectory.appendingPathComponent("build/\(stem)-\(variant).so").path
        let arguments = ["-shared", "-fPIC", "-O1", "-o", output, source] + linkerFlags + defines
        do {
            try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        } catch {
            throw FakeLibraryError(message: "cannot make a directory for the fake library: \(error)")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: compiler)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        do {
            try process.run()
        } catch {
            throw FakeLibraryError(message: "cannot run the C compiler \(compiler): \(error)")
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let command = ([compiler] + arguments).joined(separator: " ")
            throw FakeLibraryError(message: "compiling the fake library failed (status \(process.terminationStatus)): \(command)",
                                   compilerOutput: text)
        }
        return output
    }

    /// `$CC` when set, else the first `cc`, `gcc` or `clang` on `PATH`.
    private static func findCompiler() throws(FakeLibraryError) -> String {
        let environment = ProcessInfo.processInfo.environment
        let searchPath = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        func resolve(_ name: String) -> String? {
            if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
            return searchPath.lazy.map { ($0 as NSString).appendingPathComponent(name) }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        if let chosen = environment["CC"], !chosen.isEmpty {
            guard let found = resolve(chosen) else {
                throw FakeLibraryError(message: "CC names \(chosen), which is not an executable on PATH")
            }
            return found
        }
        for name in ["cc", "gcc", "clang"] {
            if let found = resolve(name) { return found }
        }
        throw FakeLibraryError(message: "no C compiler found (looked for cc, gcc and clang on PATH); install one or set CC to build the fake libraries")
    }

    /// The test hook `symbol` (a C function of type `T`) in the library at `path`.
    static func hook<T>(_ symbol: String, in path: String, as type: T.Type) -> T? {
        guard let library = try? DynamicLibrary.open(path) else { return nil }
        return library.lookup(symbol, as: type)
    }

    /// Asks the fake's `<prefix>_call_count` hook how many times its function `symbol` ran;
    /// `nil` when `path` is not that fake or the hook does not count `symbol`.
    static func callCount(prefix: String, of symbol: String, in path: String) -> Int? {
        typealias CallCount = @convention(c) (UnsafePointer<CChar>?) -> Int
        guard let count = hook("\(prefix)_call_count", in: path, as: CallCount.self) else { return nil }
        let value = symbol.withCString { count($0) }
        return value < 0 ? nil : value
    }

    /// The fake's `<prefix>_scenario_problem`: the first scenario line it did not
    /// understand, `nil` when it understood them all, or a line saying `path` is not that fake.
    static func scenarioProblem(prefix: String, in path: String, library name: String) -> String? {
        typealias Problem = @convention(c) () -> UnsafePointer<CChar>?
        guard let problem = hook("\(prefix)_scenario_problem", in: path, as: Problem.self) else {
            return "\(path) is not a fake \(name) library"
        }
        return problem().map { String(cString: $0) }
    }
}

/// A fake library could not be built or copied.
public struct FakeLibraryError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, and where.
    public var message: String
    /// What the C compiler printed, when compiling failed.
    public var compilerOutput: String?

    /// An error saying `message`, with the compiler's output where there is some.
    public init(message: String, compilerOutput: String? = nil) {
        self.message = message
        self.compilerOutput = compilerOutput
    }

    public var description: String {
        guard let compilerOutput, !compilerOutput.isEmpty else { return message }
        return "\(message)\n\(compilerOutput)"
    }
}
