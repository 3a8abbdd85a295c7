import FuzzSupport
import HeadroomPlanner

/// One input: the bytes as a model.safetensors.index.json. Any input may be refused; none may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? SafetensorsIndexReader.tensorsByShard(in: modelFile(data, size, path: "model.safetensors.index.json"))
    return 0
}

runFuzzer { fuzzOne($0, $1) }
