import Glibc
import HeadroomPlanner

/// One input: the bytes as a ONNX model (external data refused). Any input may be refused; none may crash.
/// libFuzzer's entry point, also passed to its driver below.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = try? ONNXReader.read(ModelFile(bytes: bytes, path: "fuzz.onnx"), directory: nil)
    return 0
}

// SwiftPM makes this file's top-level code the program's entry point (in place of
// libFuzzer's own main), so it hands control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv) { fuzzOne($0, $1) })
