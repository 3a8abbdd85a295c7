import HeadroomPlanner

/// libFuzzer's entry point: the bytes as an ONNX model (external data refused). Any input may be refused; none may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = ModelFile(bytes: Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz.onnx")
    _ = try? ONNXReader.read(file, directory: nil)
    return 0
}
