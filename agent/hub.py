"""Where local models come from: a folder or a hub id, the hub's offline switch, and the
device and dtype a model runs in. Shared by the T2I tool, the VQA/CLIP scorers and the
``hf:`` chat models."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def hub_offline() -> bool:
    """True when the Hugging Face hub must not be contacted (``HF_HUB_OFFLINE``)."""
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    try:
        from huggingface_hub import constants

        return bool(constants.HF_HUB_OFFLINE)
    except Exception:  # pragma: no cover - an old huggingface_hub
        return False


def looks_like_path(target: str) -> bool:
    """Whether ``target`` names a local folder rather than a hub id."""
    return target.startswith(("/", "./", "../", "~", "\\")) or os.path.isabs(target) or Path(target).expanduser().exists()


def torch_device() -> tuple[str, Any]:
    """``("cuda", float16)`` when a GPU is present, else ``("cpu", float32)``."""
    import torch

    if torch.cuda.is_available():
        return "cuda", torch.float16
    return "cpu", torch.float32
