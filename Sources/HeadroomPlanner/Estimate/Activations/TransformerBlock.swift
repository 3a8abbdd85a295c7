/// One transformer block's activation memory per item, counted as the tensors
/// PyTorch holds: live at once without autograd, or saved for the backward pass.
///
/// Sizes are per token, in bytes: `h` the hidden size, `kv` the key/value width
/// (KV heads × head size), `I` the MLP's inner size, `e` the activation element's
/// bytes, `a` the heads and `c` the tokens attended to.
struct TransformerBlock: Sendable {
    var hidden: Double
    var heads: Double
    var keyValueWidth: Double
    var intermediate: Double
    /// A gated MLP (SwiGLU: gate, up and down projections) rather than up → GELU → down.
    var gated: Bool
    /// Bytes of one activation element.
    var elementBytes: Double
    /// Normalization computed in fp32 from 16-bit inputs (LLaMA's RMSNorm upcasts).
    var normUpcast: Bool
    /// Whether the heads × c scores exist: eager attention, or a fused kernel's math fallback.
    var materializesScores: Bool
    /// Dropout in training: a 1-byte mask per element it touches.
    var dropout: Bool
    /// Whether the attention's freed tensors still count while the MLP runs: on a CPU, glibc keeps
    /// freed blocks below its mmap threshold (at most 32 MiB) resident, so a block holds both at its peak.
    var keepsFreedTensors = false

    /// Peak bytes live while the block runs on one token that attends to `context` tokens, outside autograd:
    /// the residual stream and the block's input, plus the larger of attention (Q, K, V, the rotated Q and K,
    /// K and V widened to every head, the output) and the MLP (two or three inner-size tensors), or both
    /// where freed memory stays resident (``keepsFreedTensors``).
    func inferencePeak(context c: Double) -> Double {
        let e = elementBytes, h = hidden, kv = keyValueWidth
        let widened = kv < h ? 2 * h : 0
        var attention = (4 * h + 3 * kv + widened) * e
        if materializesScores { attention += heads * c * (e + 4) }
        let mlp = (gated ? 3.0 : 2.0) * intermediate * e + h * e
        let norm: Double = normUpcast ? 2 * h * 4 : h * e
        return 2 * h * e + (keepsFreedTensors ? max(attention + mlp, norm) : max(attention, mlp, norm))
    }

    /// Bytes autograd saves for one token: each normalization's input and output (in fp32 when it upcasts),
    /// Q, K and V (K and V at every head's width), the attention output and the output projection's input,
    /// the MLP's inner tensors (four when gated: gate, its activation, up, their product; two otherwise),
    /// dropout masks, and the heads × context scores when they exist.
    func saved(context c: Double, recompute: MemoryModelOptions.Recompute) -> Double {
        let e = elementBytes, h = hidden, kv = keyValueWidth
        let norm: Double = normUpcast ? h * (4 + e) : 2 * h * e
        let norms = 2 * norm
        let attention = (3 * h + 2 * max(kv, h)) * e
        let mlp = (gated ? 4.0 : 2.0) * intermediate * e
        let masks: Double = dropout ? 3 * h : 0
        let perScore: Double = 4 + (e < 4 ? e : 0) + (dropout ? 1 + e : 0)
        let scores = materializesScores ? heads * c * perScore : 0
        switch recompute {
        case .none: return norms + attention + mlp + masks + scores
        case .selective: return norms + attention + masks
        case .full: return h * e
        }
    }
}
