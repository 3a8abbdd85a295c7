"""The five architectures of the plan-accuracy benchmark, built with random weights.

    python models.py MODELS_DIR        writes MODELS_DIR/NAME/{config.json,model.safetensors}
                                       for each model, and segformer-b2-onnx/model.onnx;
                                       a model whose directory is already complete is skipped

The configurations are the published hyper-parameters (a LLaMA of about 125M parameters
with grouped-query attention, bert-base-uncased, nvidia/mit-b2, ViT-B/16 at 224), so
`headroom plan MODELS_DIR/NAME` reads the same shapes a download would have. measure.py
imports CONFIGS to rebuild each model in its measuring process from the saved config.
"""
import os
import sys

LLAMA = dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, num_key_value_heads=4,
             intermediate_size=2048, vocab_size=32000, max_position_embeddings=2048,
             tie_word_embeddings=False)
BERT = dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
            vocab_size=30522, max_position_embeddings=512)
SEGFORMER = dict(num_channels=3, num_encoder_blocks=4, depths=[3, 4, 6, 3], sr_ratios=[8, 4, 2, 1],
                 hidden_sizes=[64, 128, 320, 512], patch_sizes=[7, 3, 3, 3], strides=[4, 2, 2, 2],
                 num_attention_heads=[1, 2, 5, 8], mlp_ratios=[4, 4, 4, 4], decoder_hidden_size=768,
                 num_labels=150)
VIT = dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
           patch_size=16, image_size=224, num_labels=1000)

# name -> (config class, model class, the Auto class that builds it, hyper-parameters, dtype)
CONFIGS = {
    "llama-125m-fp32": ("LlamaConfig", "LlamaForCausalLM", "AutoModelForCausalLM", LLAMA, "float32"),
    "llama-125m-bf16": ("LlamaConfig", "LlamaForCausalLM", "AutoModelForCausalLM", LLAMA, "bfloat16"),
    "bert-base": ("BertConfig", "BertForMaskedLM", "AutoModelForMaskedLM", BERT, "float32"),
    "segformer-b2": ("SegformerConfig", "SegformerForSemanticSegmentation",
                     "AutoModelForSemanticSegmentation", SEGFORMER, "float32"),
    "vit-b16": ("ViTConfig", "ViTForImageClassification", "AutoModelForImageClassification", VIT, "float32"),
}
ONNX_NAME = "segformer-b2-onnx"
ONNX_SOURCE = "segformer-b2"


def build(models_dir, name):
    import torch
    import transformers
    config_class, model_class, _, params, dtype = CONFIGS[name]
    out = os.path.join(models_dir, name)
    if os.path.exists(os.path.join(out, "model.safetensors")):
        return
    torch.manual_seed(0)
    config = getattr(transformers, config_class)(**params, dtype=dtype)
    model = getattr(transformers, model_class)(config).to(getattr(torch, dtype))
    model.save_pretrained(out, safe_serialization=True)
    print(f"built {name}: {sum(p.numel() for p in model.parameters()):,} parameters in {dtype}")


def export_onnx(models_dir):
    """SegFormer-B2 through the TorchScript exporter: batch, height and width symbolic."""
    import torch
    import transformers
    out = os.path.join(models_dir, ONNX_NAME, "model.onnx")
    if os.path.exists(out):
        return
    os.makedirs(os.path.dirname(out), exist_ok=True)
    config = transformers.AutoConfig.from_pretrained(os.path.join(models_dir, ONNX_SOURCE))
    torch.manual_seed(0)
    model = transformers.SegformerForSemanticSegmentation(config).eval()

    class Logits(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, pixel_values):
            return self.inner(pixel_values=pixel_values).logits

    with torch.inference_mode():
        torch.onnx.export(Logits(model), (torch.randn(1, 3, 512, 512),), out, dynamo=False,
                          input_names=["pixel_values"], output_names=["logits"], opset_version=17,
                          dynamic_axes={"pixel_values": {0: "batch", 2: "height", 3: "width"},
                                        "logits": {0: "batch", 2: "height_4", 3: "width_4"}})
    print(f"exported {ONNX_NAME}/model.onnx ({os.path.getsize(out) / 2**20:.1f} MiB)")


if __name__ == "__main__":
    models_dir = sys.argv[1]
    for name in CONFIGS:
        build(models_dir, name)
    export_onnx(models_dir)
