import FuzzSupport
import HeadroomPlanner

/// One input: the bytes as a GGUF file, planned through the memory model. Any input may be refused; none may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let contents = try? GGUFReader.read(modelFile(data, size, path: "fuzz.gguf")) {
        plan(try? ModelArchitecture.fromGGUF(contents, path: "fuzz.gguf"))
    }
    return 0
}

runFuzzer { fuzzOne($0, $1) }
