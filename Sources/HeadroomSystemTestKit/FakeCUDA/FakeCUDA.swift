import Foundation
import HeadroomProbe

/// A fake CUDA driver shared library, compiled from C during the test run, that
/// plays a scripted scenario through the real `dlopen`/`dlsym` path: devices,
/// primary contexts, `cuMemGetInfo`, and `cuMemAlloc` answering
/// `CUDA_ERROR_OUT_OF_MEMORY` when the device is full.
///
/// ```swift
/// let path = try FakeCUDA.library(scenario: """
///     total 16GiB
///     used 2GiB
///     context 300MiB
///     """)
/// let context = try CUDADriver.load(path: path).primaryContext(device: 0)
/// ```
///
/// The scenario format is described at the top of `fake_cuda.c`.
public enum FakeCUDA {
    /// Driver functions left out of the library, to play an older or broken driver.
    public enum Omission: String, CaseIterable, Hashable, Sendable {
        /// Only `cuDevicePrimaryCtxRelease`, as before CUDA 11.
        case primaryContextReleaseV2
        /// No `cuGetErrorName` and no `cuGetErrorString`.
        case errorText
        /// No `cuMemAlloc_v2`, a function Headroom requires.
        case memoryAllocation

        var define: String {
            switch self {
            case .primaryContextReleaseV2: "-DFAKE_CUDA_NO_PRIMARY_CTX_RELEASE_V2"
            case .errorText: "-DFAKE_CUDA_NO_ERROR_TEXT"
            case .memoryAllocation: "-DFAKE_CUDA_NO_MEM_ALLOC_V2"
            }
        }
    }

    /// A fresh copy of the fake driver that plays `scenario`, to give
    /// ``CUDADriver/load(path:)`` or to set as `HEADROOM_CUDA_LIBRARY`.
    /// - Throws: ``FakeLibraryError`` when there is no C compiler, compiling
    ///   fails (with the compiler's output), or a file cannot be written.
    public static func library(scenario: String = "", omitting: Set<Omission> = []) throws(FakeLibraryError) -> String {
        try builder.library(scenario: scenario, defines: omitting.map(\.define))
    }

    /// How many times the library at `path` has had its driver function `symbol` called.
    public static func callCount(of symbol: String, in path: String) -> Int? {
        FakeLibraryBuilder.callCount(prefix: "fake_cuda", of: symbol, in: path)
    }

    /// Allocations on `device` not yet freed, or `nil` for a device the scenario does not have.
    public static func liveAllocations(device: Int, in path: String) -> Int? {
        deviceHook("fake_cuda_live_allocations", device: device, path: path)
    }

    /// Retains of `device`'s primary context not yet released.
    public static func contextReferences(device: Int, in path: String) -> Int? {
        deviceHook("fake_cuda_context_references", device: device, path: path)
    }

    /// The first scenario line the library did not understand, or `nil`. Read at `cuInit`.
    public static func scenarioProblem(in path: String) -> String? {
        FakeLibraryBuilder.scenarioProblem(prefix: "fake_cuda", in: path, library: "CUDA")
    }

    private static func deviceHook(_ symbol: String, device: Int, path: String) -> Int? {
        typealias Hook = @convention(c) (Int32) -> Int
        guard let hook = FakeLibraryBuilder.hook(symbol, in: path, as: Hook.self),
              let ordinal = Int32(exactly: device) else { return nil }
        let value = hook(ordinal)
        return value < 0 ? nil : value
    }

    /// `fake_cuda.c`, found beside this file in the source tree.
    static let builder = FakeLibraryBuilder(
        source: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fake_cuda.c").path,
        fileName: "libcuda.so.1", linkerFlags: ["-ldl", "-lpthread"])
}
