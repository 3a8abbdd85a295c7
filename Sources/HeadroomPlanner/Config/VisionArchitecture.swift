/// The image side of a vision model's `config.json`: what sets its activations at an image size.
///
/// Single-stage models (ViT and its kin) give ``patchSize``; hierarchical ones
/// (SegFormer, ConvNeXt, ResNet) give one entry per stage in the arrays.
public struct VisionArchitecture: Sendable, Hashable, Codable {
    /// `image_size`: the side the model was trained at.
    public var imageSize: Int64?
    /// `num_channels`: 3 for RGB.
    public var channels: Int64?
    /// `patch_size` of a vision transformer.
    public var patchSize: Int64?
    /// `hidden_sizes`: each stage's channels.
    public var stageWidths: [Int64]
    /// `depths`: blocks per stage.
    public var stageDepths: [Int64]
    /// SegFormer's `strides`: each stage's down-sampling.
    public var stageStrides: [Int64]
    /// SegFormer's `patch_sizes`: each stage's patch-embedding kernel.
    public var patchSizes: [Int64]
    /// SegFormer's `sr_ratios`: each stage's key/value reduction.
    public var reductionRatios: [Int64]
    /// SegFormer's `num_attention_heads`, one per stage.
    public var stageHeads: [Int64]
    /// SegFormer's `mlp_ratios`, one per stage.
    public var mlpRatios: [Int64]
    /// SegFormer's `decoder_hidden_size`: the all-MLP head's width.
    public var decoderWidth: Int64?
    /// ResNet's `embedding_size`: the stem's channels.
    public var stemWidth: Int64?
    /// ResNet's `layer_type`: `bottleneck` (4× expansion) or `basic`.
    public var blockType: String?

    public init(imageSize: Int64? = nil, channels: Int64? = nil, patchSize: Int64? = nil, stageWidths: [Int64] = [],
                stageDepths: [Int64] = [], stageStrides: [Int64] = [], patchSizes: [Int64] = [], reductionRatios: [Int64] = [],
                stageHeads: [Int64] = [], mlpRatios: [Int64] = [], decoderWidth: Int64? = nil,
                stemWidth: Int64? = nil, blockType: String? = nil) {
        self.imageSize = imageSize
        self.channels = channels
        self.patchSize = patchSize
        self.stageWidths = stageWidths
        self.stageDepths = stageDepths
        self.stageStrides = stageStrides
        self.patchSizes = patchSizes
        self.reductionRatios = reductionRatios
        self.stageHeads = stageHeads
        self.mlpRatios = mlpRatios
        self.decoderWidth = decoderWidth
        self.stemWidth = stemWidth
        self.blockType = blockType
    }

    /// Whether nothing was found.
    var isEmpty: Bool { self == VisionArchitecture() }
}
