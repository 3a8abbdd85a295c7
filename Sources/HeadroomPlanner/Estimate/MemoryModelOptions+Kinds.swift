extension MemoryModelOptions {
    /// The work a run does.
    public enum Run: String, Sendable, Hashable, Codable, CaseIterable {
        /// One forward pass over whole sequences or images, outputs for every position (scoring, embedding, segmentation).
        case forward
        /// Prefill then token-by-token decoding: a KV cache, logits of the last token only.
        case generate
        /// A forward and backward pass and an optimizer step.
        case training
    }

    /// Where a run happens.
    public enum Device: String, Sendable, Hashable, Codable, CaseIterable {
        case gpu, cpu

        /// What the device's runtime takes before the first tensor.
        public var runtimeOverhead: ByteCount {
            switch self {
            case .gpu: MemoryModelOptions.defaultRuntimeOverhead
            case .cpu: MemoryModelOptions.defaultCPUOverhead
            }
        }

        /// The allocator's slack over live tensors.
        public var allocatorReserve: Double {
            switch self {
            case .gpu: MemoryModelOptions.defaultAllocatorReserve
            case .cpu: 0
            }
        }

        /// Where the runtime overhead comes from, in words.
        public var overheadSource: String {
            switch self {
            case .gpu: "the CUDA context, cuBLAS/cuDNN workspaces and the framework's buffers (PyTorch takes 300–600 MiB before the first tensor)"
            case .cpu: "no CUDA context and no caching allocator on a CPU; this is the framework's working memory on its first run "
                + "(thread pools, allocator arenas, kernel scratch: about 50 MiB for PyTorch 2.13); the interpreter and libraries "
                + "(about 290 MiB resident after importing torch and transformers) come on top"
            }
        }
    }

    /// How attention is computed.
    public enum Attention: String, Sendable, Hashable, Codable, CaseIterable {
        /// PyTorch's scaled-dot-product attention (the default in transformers): no heads × sequence² scores.
        case sdpa
        /// FlashAttention: no scores either.
        case flash
        /// Eager attention: heads × sequence² scores, softmax in fp32.
        case eager

        /// Whether the scores are materialized.
        var materializesScores: Bool { self == .eager }
    }

    /// The optimizer whose state training keeps.
    public enum Optimizer: String, Sendable, Hashable, Codable, CaseIterable {
        /// AdamW (and Adam): two moments per parameter.
        case adamw
        /// SGD without momentum: no state.
        case sgd
        /// SGD with momentum: one buffer per parameter.
        case sgdMomentum = "sgd-momentum"
        /// Adafactor: factored second moments, rows + columns per matrix.
        case adafactor
        /// 8-bit Adam (bitsandbytes): two 1-byte moments per parameter.
        case adam8bit = "adam-8bit"
    }
}

/// One image's size in pixels (`--image-size 1024` or `512x768`).
public struct ImageSize: Sendable, Hashable, Codable, CustomStringConvertible {
    public var height: Int64
    public var width: Int64

    public init(height: Int64, width: Int64) {
        self.height = height
        self.width = width
    }

    /// Pixels in the image.
    public var pixels: Int64 { height.multipliedSaturating(by: width) }

    public var description: String { height == width ? "\(height)²" : "\(height)×\(width)" }

    /// Parses `1024` (square) or `512x768` (height × width).
    public init?(parsing text: String) {
        let sides = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard sides.count == 1 || sides.count == 2,
              let height = Int64(sides[0]), let width = Int64(sides.count == 2 ? sides[1] : sides[0]) else { return nil }
        self.init(height: height, width: width)
    }
}

/// The KV cache's element type.
public enum KVCacheType: String, Sendable, Hashable, Codable, CaseIterable {
    case f32, f16, bf16, fp8 = "fp8", q8_0, q4_0

    /// Bytes per element: llama.cpp's q8_0 blocks are 34 bytes per 32 values, q4_0's 18 bytes.
    public var bytesPerElement: Double {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .fp8: 1
        case .q8_0: 34.0 / 32
        case .q4_0: 18.0 / 32
        }
    }
}
