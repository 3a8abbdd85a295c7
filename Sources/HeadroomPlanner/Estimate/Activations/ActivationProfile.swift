/// What one item of a batch holds, for a model class at one input size: the
/// phases of an inference run, and what a training step saves for its backward pass.
struct ActivationProfile: Sendable {
    /// Inference: each phase's per-item terms (activations, logits, KV cache, inputs).
    var inference: [MemoryPhase]
    /// Training: bytes autograd saves per item across the whole network.
    var saved: Double
    /// Training: bytes per item at the top of the backward pass beyond what is saved:
    /// the output kept for the caller, the loss's fp32 log-probabilities and their gradient.
    var lossTop: Double
    /// The input tensor per item (pixels), live through the whole run.
    var inputs: Double
    /// Words on what the profile assumed.
    var notes: [String] = []
}
