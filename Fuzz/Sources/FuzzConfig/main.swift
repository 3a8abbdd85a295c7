import FuzzSupport
import HeadroomPlanner

/// One input: the bytes as a config.json, planned through the memory model. Any input may be refused; none may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let architecture = try? ModelArchitecture.readConfig(modelFile(data, size, path: "config.json")) { plan(architecture) }
    return 0
}

runFuzzer { fuzzOne($0, $1) }
