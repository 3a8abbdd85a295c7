import HeadroomPlanner

/// libFuzzer's entry point: the bytes as a GGUF file, then its hyper-parameters. Any input may be refused; none may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = ModelFile(bytes: Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz.gguf")
    if let contents = try? GGUFReader.read(file) {
        _ = ModelArchitecture.fromGGUF(contents)
    }
    return 0
}
