import Foundation
import HeadroomProbe

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
/// per-field `*_error` codes, `grow_processes`, MIG mode with `mig=`,
/// `mig_pending=`, `mig_max=`), `mig key=value…` lines for the MIG devices of the
/// device above them (`profile=1g.10gb gi=1 ci=0 total=10GiB`), and
/// `proc`/`gproc` lines for the processes on the device above them. ``callCount(of:in:)`` says which
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
        /// No MIG functions (`nvmlDeviceGetMigMode` and the rest): a driver before R450.
        case mig

        /// The preprocessor flag that removes the functions from `fake_nvml.c`.
        var define: String {
            switch self {
            case .memoryV2: "-DFAKE_NVML_NO_MEMORY_V2"
            case .processesV3: "-DFAKE_NVML_NO_PROCESSES_V3"
            case .processesV2: "-DFAKE_NVML_NO_PROCESSES_V2"
            case .temperature: "-DFAKE_NVML_NO_TEMPERATURE"
            case .mig: "-DFAKE_NVML_NO_MIG"
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
    /// - Throws: ``FakeLibraryError`` when there is no C compiler, compiling
    ///   fails (with the compiler's output), or a file cannot be written.
    public static func library(scenario: String, omitting: Set<Omission> = []) throws(FakeLibraryError) -> String {
        try builder.library(scenario: scenario, defines: omitting.map(\.define))
    }

    /// How many times the library at `path` has had its NVML function `symbol` called,
    /// or `nil` when `path` is not a fake NVML library or `symbol` is not one it counts.
    public static func callCount(of symbol: String, in path: String) -> Int? {
        FakeLibraryBuilder.callCount(prefix: "fake_nvml", of: symbol, in: path)
    }

    /// The first scenario line the library at `path` did not understand (`line 3:
    /// unknown statement: …`), or `nil` when it understood them all. The scenario
    /// is read at `nvmlInit`, so ask after an inventory. For a path that is not a
    /// fake NVML library, a line saying so.
    public static func scenarioProblem(in path: String) -> String? {
        FakeLibraryBuilder.scenarioProblem(prefix: "fake_nvml", in: path, library: "NVML")
    }

    /// An 80 GiB GPU in MIG mode split into seven `1g.10gb` MIG devices of 10 GiB,
    /// GPU instances 7 to 13, compute instance 0, the first with 2 GiB in use.
    public static let sevenSliceScenario: String = {
        var lines = ["device name=NVIDIA_A100-SXM4-80GB uuid=GPU-a100a100-0000-0000-0000-000000000000 total=80GiB used=2GiB mig=1"]
        for slice in 0..<7 {
            let used = slice == 0 ? "2GiB" : "0"
            lines.append("mig profile=1g.10gb gi=\(7 + slice) ci=0 total=10GiB used=\(used) uuid=MIG-5c0b0000-0000-0000-0000-00000000000\(slice)")
        }
        return lines.joined(separator: "\n")
    }()

    /// `fake_nvml.c`, found beside this file in the source tree.
    static let builder = FakeLibraryBuilder(
        source: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fake_nvml.c").path,
        fileName: "libnvidia-ml.so.1")
}
