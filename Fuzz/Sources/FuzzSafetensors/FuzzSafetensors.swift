import HeadroomPlanner

/// libFuzzer's entry point: the bytes as a safetensors file. Any input may be refused; none may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = ModelFile(bytes: Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz.safetensors")
    _ = try? SafetensorsReader.read(file)
    return 0
}
