import Glibc
import HeadroomPlanner

/// Hands control to libFuzzer's driver with `callback` as the function under test. SwiftPM makes
/// each target's top-level code its entry point (in place of libFuzzer's own main), so each calls this.
public func runFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runFuzzerDriver(&argc, &argv, callback))
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// libFuzzer's input as a file in memory named `path`.
public func modelFile(_ data: UnsafePointer<UInt8>?, _ size: Int, path: String) -> ModelFile {
    ModelFile(bytes: data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [], path: path)
}

/// Plans what was read, inference and training, so the memory model's arithmetic meets every value a reader lets through.
public func plan(_ architecture: ModelArchitecture?) {
    let tensors = [TensorInfo(name: "w", type: ElementType(name: "F16", blockBytes: 2), shape: [4096, 4096],
                              elementCount: 4096 * 4096, byteCount: 2 * 4096 * 4096)]
    let inventory = ModelInventory(format: .safetensors, files: [], tensors: tensors, architecture: architecture)
    for training in [false, true] {
        guard let model = try? MemoryModel(inventory: inventory, options: MemoryModelOptions(training: training)) else { continue }
        _ = model.estimate(batch: 1).total
        _ = model.estimate(batch: MemoryModel.maximumBatch).total
        _ = model.largestBatch(within: .gibibytes(80))
        _ = model.line
    }
}
