import Foundation
import Headroom
import Synchronization

/// A fake NVML shared library, compiled from C during the test run, that plays
/// a scripted scenario through the real `dlopen`/`dlsym` path.
///
/// Each call to ``library(scenario:omitting:)`` returns the path of a fresh
/// copy of the library with its own scenario, so one test process can load
/// many scenarios side by side:
///
/// ```swift
/// let path = try FakeNVML.library(scenario: """
///     driver 550.54.15
///     device name=NVIDIA_H100_80GB_HBM3 total=80GiB reserved=512MiB used=10GiB
///     proc pid=4242 used=10GiB
///     """)
/// let inventory = NVMLBackend(libraryPath: path).inventory()
/// ```
///
/// The scenario format is described at the top of `fake_nvml.c`: `driver`,
/// `cuda`, `init_error`, `count_error`, `process_info_v3_bytes`,
/// `device key=value…` (memory, utilization, temperature, power, ECC,
/// per-field `*_error` codes, `grow_processes`), and `proc`/`gproc` lines for
/// the processes on the device above them. ``callCount(of:in:)`` says which
/// NVML functions the code under test called.
///
/// Compiling needs a C compiler: `cc`, or the one named by `CC`.
public enum FakeNVML {
    /// NVML functions left out of the library, to play an older driver.
    public enum Omission: String, CaseIterable, Hashable, Sendable {
        /// No `nvmlDeviceGetMemoryInfo_v2`: memory comes from the v1 query, reserved included in used.
        case memoryV2
        /// No `nvmlDevice*RunningProcesses_v3`: the `_v2` queries answer.
        case processesV3
        /// No `_v2` and no `_v3` process queries: only the v1 struct layout.
        case processesV2
        /// No `nvmlDeviceGetTemperature`.
        case temperature

        /// The preprocessor flag that removes the functions from `fake_nvml.c`.
        var define: String {
            switch self {
            case .memoryV2: "-DFAKE_NVML_NO_MEMORY_V2"
            case .processesV3: "-DFAKE_NVML_NO_PROCESSES_V3"
            case .processesV2: "-DFAKE_NVML_NO_PROCESSES_V2"
            case .temperature: "-DFAKE_NVML_NO_TEMPERATURE"
            }
        }
    }

    /// A fresh copy of the fake library that plays `scenario`.
    ///
    /// The library for each set of omissions is compiled once per process; each
    /// call copies it to a new path (a new file, so the loader opens it anew
    /// and its state is its own) and writes `scenario` beside it as
    /// `<path>.conf`, which the library reads at `nvmlInit`.
    /// - Parameters:
    ///   - scenario: the scripted devices, processes and errors.
    ///   - omitting: NVML functions to leave out of the library.
    /// - Returns: the path to give ``NVMLBackend/init(libraryPath:)``.
    /// - Throws: ``FakeNVMLError`` when there is no C compiler, compiling
    ///   fails (with the compiler's output), or a file cannot be written.
    public static func library(scenario: String, omitting: Set<Omission> = []) throws(FakeNVMLError) -> String {
        let compiled = try compiledLibrary(omitting: omitting)
        let copy = workDirectory.appendingPathComponent("scenario-\(UUID().uuidString)")
        let path = copy.appendingPathComponent("libnvidia-ml.so.1").path
        do {
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: compiled, toPath: path)
            try Data(scenario.utf8).write(to: URL(fileURLWithPath: path + ".conf"))
        } catch {
            throw FakeNVMLError(message: "cannot copy the fake NVML library to \(path): \(error)")
        }
        return path
    }

    /// How many times the library at `path` has had its NVML function `symbol` called,
    /// or `nil` when `path` is not a fake NVML library or `symbol` is not one it counts.
    public static func callCount(of symbol: String, in path: String) -> Int? {
        typealias CallCount = @convention(c) (UnsafePointer<CChar>?) -> Int
        guard let library = try? DynamicLibrary.open(path),
              let count: CallCount = library.lookup("fake_nvml_call_count") else { return nil }
        let value = symbol.withCString { count($0) }
        return value < 0 ? nil : value
    }

    /// The first scenario line the library at `path` did not understand (`line 3:
    /// unknown statement: …`), or `nil` when it understood them all. The scenario
    /// is read at `nvmlInit`, so ask after an inventory. For a path that is not a
    /// fake NVML library, a line saying so.
    public static func scenarioProblem(in path: String) -> String? {
        typealias Problem = @convention(c) () -> UnsafePointer<CChar>?
        guard let library = try? DynamicLibrary.open(path),
              let problem: Problem = library.lookup("fake_nvml_scenario_problem") else {
            return "\(path) is not a fake NVML library"
        }
        return problem().map { String(cString: $0) }
    }

    /// `fake_nvml.c`, found beside this file in the source tree.
    static var sourcePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fake_nvml.c").path
    }

    /// One directory per test process for compiled libraries and scenario copies, removed at exit.
    static let workDirectory: URL = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("headroom-fake-nvml-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        atexit { try? FileManager.default.removeItem(at: FakeNVML.workDirectory) }
        return directory
    }()

    /// Compiled libraries by omission set, so each variant is built once per process.
    private static let compiled = Mutex<[Set<Omission>: Result<String, FakeNVMLError>]>([:])

    private static func compiledLibrary(omitting: Set<Omission>) throws(FakeNVMLError) -> String {
        // Compiling under the lock makes parallel tests that need the same variant wait for one build.
        let result = compiled.withLock { cache in
            if let known = cache[omitting] { return known }
            let built = Result { () throws(FakeNVMLError) -> String in try compile(omitting: omitting) }
            cache[omitting] = built
            return built
        }
        return try result.get()
    }

    private static func compile(omitting: Set<Omission>) throws(FakeNVMLError) -> String {
        let source = sourcePath
        guard FileManager.default.fileExists(atPath: source) else {
            throw FakeNVMLError(message: "cannot find the fake NVML source at \(source); it is read from the source tree")
        }
        let compiler = try findCompiler()
        let defines = omitting.map(\.define).sorted()
        let name = defines.isEmpty ? "full" : defines.map { $0.replacingOccurrences(of: "-DFAKE_NVML_", with: "") }.joined(separator: "-")
        let output = workDirectory.appendingPathComponent("build/libfakenvml-\(name).so").path
        let arguments = ["-shared", "-fPIC", "-O1", "-o", output, source, "-ldl"] + defines
        do {
            try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        } catch {
            throw FakeNVMLError(message: "cannot make a directory for the fake NVML library: \(error)")
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
            throw FakeNVMLError(message: "cannot run the C compiler \(compiler): \(error)")
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let command = ([compiler] + arguments).joined(separator: " ")
            throw FakeNVMLError(message: "compiling the fake NVML library failed (status \(process.terminationStatus)): \(command)",
                                compilerOutput: text)
        }
        return output
    }

    /// `$CC` when set, else the first `cc`, `gcc` or `clang` on `PATH`.
    private static func findCompiler() throws(FakeNVMLError) -> String {
        let environment = ProcessInfo.processInfo.environment
        let searchPath = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        func resolve(_ name: String) -> String? {
            if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
            return searchPath.lazy.map { ($0 as NSString).appendingPathComponent(name) }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        if let chosen = environment["CC"], !chosen.isEmpty {
            guard let found = resolve(chosen) else {
                throw FakeNVMLError(message: "CC names \(chosen), which is not an executable on PATH")
            }
            return found
        }
        for name in ["cc", "gcc", "clang"] {
            if let found = resolve(name) { return found }
        }
        throw FakeNVMLError(message: "no C compiler found (looked for cc, gcc and clang on PATH); install one or set CC to build the fake NVML library")
    }
}

/// The fake NVML library could not be built or copied.
public struct FakeNVMLError: Error, Sendable, CustomStringConvertible {
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
