"""Tiny random models built from configs, for tests that must download nothing.

The builders follow diffusers' and transformers' own test suites: a few channels, one
layer per block, random weights. They are useless for pictures and fast on a CPU (a
pipeline builds and saves in about a second, draws a 32x32 image in well under one).

Reuse them from other test files::

    from tiny_models import tiny_sd_pipeline_dir

    @pytest.fixture(scope="session")
    def sd_dir(tmp_path_factory):
        return tiny_sd_pipeline_dir(tmp_path_factory.mktemp("tiny-sd"))
"""

from __future__ import annotations

import json
from pathlib import Path

#: The CLIP text encoder's hidden size (= the UNet's cross-attention width).
TEXT_HIDDEN = 32
#: Longest prompt in tokens; longer prompts are truncated by the pipeline.
MAX_TOKENS = 32


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP's reversible byte -> printable unicode map (byte-level BPE alphabet)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


def write_tiny_clip_tokenizer(folder: Path) -> Path:
    """Write a CLIP tokenizer with a byte-level vocabulary and no merges (so any text
    tokenizes, one token per byte) to ``folder``; returns ``folder``."""
    from transformers import CLIPTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab: dict[str, int] = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for ch in _bytes_to_unicode().values():
        vocab.setdefault(ch, len(vocab))
        vocab.setdefault(ch + "</w>", len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    tok = CLIPTokenizer(vocab=vocab, merges=[], pad_token="<|endoftext|>", model_max_length=MAX_TOKENS)
    tok.save_pretrained(folder)
    return folder


def tiny_sd_pipeline(seed: int = 0):
    """A tiny random ``StableDiffusionPipeline`` (CPU, float32), built from configs.

    The UNet's sample size is 16 latents and the VAE halves once, so the default image
    is 32x32 pixels.
    """
    import tempfile

    import torch
    from diffusers import AutoencoderKL, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=(4, 8),
        layers_per_block=1,
        sample_size=16,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=TEXT_HIDDEN,
        attention_head_dim=2,
        norm_num_groups=2,
    )
    vae = AutoencoderKL(
        block_out_channels=(4, 8),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        latent_channels=4,
        norm_num_groups=2,
        sample_size=32,
    )
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer = CLIPTokenizer.from_pretrained(write_tiny_clip_tokenizer(Path(tmp)))
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=0,
            eos_token_id=1,
            pad_token_id=1,
            hidden_size=TEXT_HIDDEN,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            max_position_embeddings=MAX_TOKENS,
            vocab_size=len(tokenizer),
        )
    )
    scheduler = DDIMScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False, set_alpha_to_one=False,
        steps_offset=1,
    )
    return StableDiffusionPipeline(
        unet=unet,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )


def tiny_sd_pipeline_dir(tmp_path: Path, seed: int = 0) -> Path:
    """Build :func:`tiny_sd_pipeline` and ``save_pretrained`` it under ``tmp_path``; returns
    the folder (holding ``model_index.json``), ready for ``load_t2i("diffusers:" + str(dir))``."""
    out = Path(tmp_path) / "tiny-sd"
    tiny_sd_pipeline(seed).save_pretrained(out)
    return out
