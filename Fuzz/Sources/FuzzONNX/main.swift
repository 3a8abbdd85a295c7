import FuzzSupport
import HeadroomPlanner

/// One input: the bytes as an ONNX model. Any input may be refused; none may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? ONNXReader.read(modelFile(data, size, path: "fuzz.onnx"), directory: nil)
    return 0
}

runFuzzer { fuzzOne($0, $1) }
