import FuzzSupport
import HeadroomPlanner

/// One input: the bytes as a safetensors file. Any input may be refused; none may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? SafetensorsReader.read(modelFile(data, size, path: "fuzz.safetensors"))
    return 0
}

runFuzzer { fuzzOne($0, $1) }
