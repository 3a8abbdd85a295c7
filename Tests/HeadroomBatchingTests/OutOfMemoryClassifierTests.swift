import HeadroomBatching
import Testing

@Suite("OutOfMemoryClassifier")
struct OutOfMemoryClassifierTests {
    struct Message: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }

    struct TypedOOM: OutOfMemoryError {}
    struct CodedError: OutOfMemoryClassifiable {
        var code: Int32
        var isOutOfMemory: Bool { code == 2 }
    }

    @Test("messages from every backend people meet read as out of memory", arguments: [
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.10 GiB total capacity; 75.2 GiB already allocated)",
        "RuntimeError: CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported",
        "torch.OutOfMemoryError: HIP out of memory. Tried to allocate 1.50 GiB (GPU 0; 63.98 GiB total capacity)",
        "RuntimeError: MPS backend out of memory (MPS allocated: 17.80 GB, other allocations: 1.20 GB, max allowed: 18.13 GB)",
        "RuntimeError: XPU out of memory. Tried to allocate 512.00 MiB",
        "RuntimeError: cuDNN error: CUDNN_STATUS_ALLOC_FAILED",
        "RuntimeError: CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`",
        "RuntimeError: [enforce fail at alloc_cpu.cpp:114] data. DefaultCPUAllocator: can't allocate memory: you tried to allocate 34359738368 bytes.",
        "onnxruntime.capi.onnxruntime_pybind11_state.RuntimeException: [ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Failed to allocate memory for requested buffer of size 1073741824",
        "tensorflow.python.framework.errors_impl.ResourceExhaustedError: OOM when allocating tensor with shape[64,3,1024,1024]",
        "jaxlib.xla_extension.XlaRuntimeError: RESOURCE_EXHAUSTED: Out of memory while trying to allocate 17179869184 bytes.",
        "cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY",
        "cudaMalloc returned cudaErrorMemoryAllocation",
        "terminate called after throwing an instance of 'std::bad_alloc'",
    ])
    func backendMessages(message: String) {
        #expect(OutOfMemoryClassifier().isOutOfMemory(Message(message)))
        #expect(OutOfMemoryClassifier().matches(message))
    }

    @Test("other errors are not out of memory", arguments: [
        "RuntimeError: CUDA error: device-side assert triggered",
        "ValueError: shapes (3,4) and (5,6) not aligned",
        "RuntimeError: CUDA error: an illegal memory access was encountered",
        "ImportError: No module named 'torch'",
        "FileNotFoundError: [Errno 2] No such file or directory: 'weights.safetensors'",
        "Segmentation fault (core dumped)",
    ])
    func otherErrors(message: String) {
        #expect(!OutOfMemoryClassifier().isOutOfMemory(Message(message)))
    }

    @Test("typed errors decide by type or by code; users add patterns")
    func typedAndExtended() {
        let classifier = OutOfMemoryClassifier()
        #expect(classifier.isOutOfMemory(TypedOOM()))
        #expect(classifier.isOutOfMemory(CodedError(code: 2)))
        #expect(!classifier.isOutOfMemory(CodedError(code: 700)))
        #expect(!classifier.isOutOfMemory(Message("NPU memory exhausted")))
        #expect(classifier.adding("NPU memory exhausted").isOutOfMemory(Message("E: npu memory EXHAUSTED at 0x1")))
        #expect(OutOfMemoryClassifier(extra: ["vram full"]).matches("VRAM FULL"))
    }
}
