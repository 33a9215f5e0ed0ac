"""The text-to-image tool: a diffusers pipeline behind a small interface.

``load_t2i(spec)`` turns a spec string into a :class:`T2ITool`, once per process:

- ``none``: no image model (prompt-only mode); returns ``None``.
- ``diffusers:PATH_OR_HUB_ID``: a local folder holding ``model_index.json`` or a hub id
  (from the local cache first; downloaded only when the hub is not offline), loaded with
  ``AutoPipelineForText2Image``. Edits (an ``init_image``) go through
  ``AutoPipelineForImage2Image.from_pipe``, which shares the already-loaded weights.

CUDA with float16 when available, else CPU float32. The same prompt and seed give the
same pixels. A spec naming a "turbo" model (sd-turbo, sdxl-turbo) defaults to one step
without classifier-free guidance, as those models are meant to run. torch and diffusers
are imported inside functions only.
"""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, runtime_checkable

from ..agent.errors import ConfigError, InputError, ModelUnavailableError
from ..agent.hub import hub_offline, looks_like_path, torch_device
from ..agent.specs import ModelSpec

if TYPE_CHECKING:  # pragma: no cover
    from PIL.Image import Image

StepCallback = Callable[[int, int], None]

#: Pipelines whose text encoders read Chinese as well as English (HunyuanDiT: bilingual CLIP +
#: mT5; Kolors: ChatGLM; CogView: GLM). Every other diffusers pipeline is taken to read English
#: only (CLIP / T5 tokenizers: SD 1.x/2.x, SDXL, SD-Turbo, SD3, PixArt, Flux, ...).
_BILINGUAL_PIPELINES = ("HunyuanDiT", "Kolors", "CogView")


def pipeline_langs(pipe: Any) -> tuple[str, ...]:
    """The prompt languages a diffusers pipeline reads, from its class name."""
    return class_langs(type(pipe).__name__)


def class_langs(name: str) -> tuple[str, ...]:
    """The prompt languages of the diffusers pipeline class called ``name``."""
    return ("en", "zh") if any(k.lower() in name.lower() for k in _BILINGUAL_PIPELINES) else ("en",)


def known_langs(spec: str) -> Optional[tuple[str, ...]]:
    """The prompt languages the model of ``spec`` reads, when known without loading it (the
    rewrite step asks before the T2I node loads anything): the loaded tool's; else the class
    named in the pipeline's ``model_index.json`` (a local folder, or a hub id already in the
    local cache); else a bilingual family named in the spec; ``None`` when unknown (``none``,
    a bad spec, a model not downloaded yet); ``()`` for a loaded tool that does not say."""
    spec = (spec or "").strip()
    if spec in _cache:  # a plain read: never waits for a load in progress
        tool = _cache.get(spec)
        return tuple(getattr(tool, "langs", None) or ()) if tool is not None else None  # () = the tool does not say
    try:
        parsed = ModelSpec.parse(spec, "t2i")
    except ConfigError:
        return None
    if parsed.kind != "diffusers":
        return None
    index: Optional[Path] = None
    if looks_like_path(parsed.target):
        index = Path(parsed.target).expanduser() / "model_index.json"
    else:
        try:
            from huggingface_hub import try_to_load_from_cache

            found = try_to_load_from_cache(parsed.target, "model_index.json")
            index = Path(found) if isinstance(found, str) else None
        except Exception:  # noqa: BLE001 - not a valid repo id, no hub client: unknown
            index = None
    try:
        name = json.loads(index.read_text(encoding="utf-8")).get("_class_name") if index is not None else None
    except (OSError, ValueError, AttributeError):
        name = None
    if isinstance(name, str) and name:
        return class_langs(name)
    if any(k.lower() in parsed.target.lower() for k in _BILINGUAL_PIPELINES):
        return ("en", "zh")
    return None


def public_name(spec: str) -> str:
    """The model's name for metadata and display: a local folder becomes its last component
    (``diffusers:/home/me/models/sd-turbo`` -> ``diffusers:sd-turbo``), so no local path
    leaves the machine inside a picture."""
    kind, _, target = spec.partition(":")
    if target and looks_like_path(target):
        return f"{kind}:{Path(target.rstrip('/')).name}"
    return spec



@runtime_checkable
class T2ITool(Protocol):
    """A text-to-image model, optionally able to edit an existing picture (img2img)."""

    name: str  # the spec, e.g. "diffusers:/models/sd-turbo"
    supports_img2img: bool
    langs: tuple[str, ...]  # prompt languages the model reads, e.g. ("en",)

    def generate(
        self,
        prompt: str,
        *,
        seed: int,
        init_image: Optional[str] = None,
        strength: float = 0.6,
        steps: Optional[int] = None,
        size: Optional[int] = None,
        on_step: Optional[StepCallback] = None,
    ) -> "Image":
        """Draw ``prompt`` (from ``init_image``'s file when given) with ``seed``; calls
        ``on_step(done, total)`` after each denoising step."""


_cache: dict[str, Optional[T2ITool]] = {}
_lock = threading.Lock()


def load_t2i(spec: str) -> Optional[T2ITool]:
    """The tool for ``spec`` (``None`` for ``none``), loaded once per process and reused
    across turns and threads. Raises :class:`ConfigError` for a bad spec or model path."""
    spec = (spec or "").strip()
    with _lock:
        if spec not in _cache:
            _cache[spec] = _build(spec)
        return _cache[spec]


def clear_cache() -> None:
    """Forget every loaded tool (tests; frees the pipelines once nothing else holds them)."""
    with _lock:
        _cache.clear()


def _build(spec: str) -> Optional[T2ITool]:
    parsed = ModelSpec.parse(spec, "t2i")
    if parsed.kind == "none":
        return None
    return DiffusersT2I.load(parsed.target, name=spec)


def _missing_pipeline(target: str) -> ConfigError:
    return ConfigError(
        f"No diffusers pipeline at '{target}': give a local folder with model_index.json or a hub id "
        "you have downloaded; or use --t2i none for prompt-only mode."
    )


def _dtype_kwarg(dtype: Any) -> dict[str, Any]:
    """``dtype=`` for diffusers that renamed ``torch_dtype`` (it warns on the old name), else ``torch_dtype=``."""
    try:
        from diffusers.utils import deprecation_utils

        renamed = hasattr(deprecation_utils, "_TORCH_DTYPE_DEPRECATION_MESSAGE")
    except ImportError:  # pragma: no cover - older diffusers
        renamed = False
    return {"dtype": dtype} if renamed else {"torch_dtype": dtype}


class DiffusersT2I:
    """A diffusers text-to-image pipeline plus, where the family has one, its img2img twin
    built with ``from_pipe`` (same modules, no second load)."""

    def __init__(self, pipe: Any, *, name: str, device: str) -> None:
        self.name = name
        self.device = device
        self.pipe = pipe
        self.img2img = self._img2img_from(pipe)
        self.supports_img2img = self.img2img is not None
        self.langs = pipeline_langs(pipe)
        self.last_notice: Optional[str] = None  # set when the last call had to fall back
        self._turbo = "turbo" in name.lower()
        self._run_lock = threading.Lock()

    @classmethod
    def load(cls, target: str, *, name: str) -> "DiffusersT2I":
        """Load ``target`` (local folder or hub id) onto CUDA/fp16 or CPU/fp32."""
        if looks_like_path(target):
            folder = Path(target).expanduser()
            if not (folder / "model_index.json").is_file():
                raise _missing_pipeline(target)
            source = str(folder.resolve())
        else:
            source = target
        from diffusers import AutoPipelineForText2Image

        device, dtype = torch_device()
        try:
            try:
                pipe = AutoPipelineForText2Image.from_pretrained(source, **_dtype_kwarg(dtype), local_files_only=True)
            except (OSError, ValueError):
                if source != target or hub_offline():
                    raise
                pipe = AutoPipelineForText2Image.from_pretrained(source, **_dtype_kwarg(dtype))  # download once
        except (OSError, ValueError, KeyError) as exc:
            raise _missing_pipeline(target) from exc
        pipe = pipe.to(device)
        pipe.set_progress_bar_config(disable=True)
        return cls(pipe, name=name, device=device)

    @staticmethod
    def _img2img_from(pipe: Any) -> Any:
        from diffusers import AutoPipelineForImage2Image

        try:
            i2i = AutoPipelineForImage2Image.from_pipe(pipe)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # this pipeline family has no image-to-image twin
        i2i.set_progress_bar_config(disable=True)
        return i2i

    # -- generation -------------------------------------------------------------------

    def generate(
        self,
        prompt: str,
        *,
        seed: int,
        init_image: Optional[str] = None,
        strength: float = 0.6,
        steps: Optional[int] = None,
        size: Optional[int] = None,
        on_step: Optional[StepCallback] = None,
    ) -> "Image":
        """Draw ``prompt`` deterministically from ``seed``. With ``init_image`` (a file path)
        and an img2img-capable family, edit that picture with ``strength``; otherwise draw
        from scratch and explain why in :attr:`last_notice`. KeyboardInterrupt propagates."""
        import torch

        self.last_notice = None
        kwargs: dict[str, Any] = {"prompt": prompt, "output_type": "pil"}
        if steps is None and self._turbo:
            steps = 1
        if self._turbo:
            kwargs["guidance_scale"] = 0.0
        side = _round8(size) if size else None
        pipe = self.pipe
        if init_image is not None and self.img2img is None:
            self.last_notice = (
                f"{type(self.pipe).__name__} cannot edit an existing picture, so this one was drawn from the prompt alone."
            )
        elif init_image is not None:
            pipe = self.img2img
            strength = min(max(float(strength), 0.01), 1.0)
            kwargs["image"] = _open_init(init_image, side or self._default_size())
            kwargs["strength"] = strength
            # img2img runs int(steps * strength) steps; make sure that is at least one.
            base = steps if steps is not None else _default_steps(pipe)
            steps = max(base, math.ceil(1.0 / strength)) if base is not None else None
        if side is not None and pipe is self.pipe:  # img2img takes its size from the image
            kwargs["height"] = kwargs["width"] = side
        if steps is not None:
            kwargs["num_inference_steps"] = int(steps)
        kwargs["generator"] = torch.Generator(self.device).manual_seed(int(seed))
        if on_step is not None:
            kwargs["callback_on_step_end"] = _step_callback(on_step, steps)
        out_of_memory = getattr(torch, "OutOfMemoryError", None) or torch.cuda.OutOfMemoryError
        with self._run_lock:
            try:
                return pipe(**kwargs).images[0]
            except out_of_memory as exc:
                raise ModelUnavailableError(
                    f"{self.name} ran out of memory: lower --image-size or --steps, or use a smaller model."
                ) from exc

    def _default_size(self) -> Optional[int]:
        """The pipeline's native image side in pixels (None when unknown)."""
        unet = getattr(self.pipe, "unet", None)
        sample = getattr(getattr(unet, "config", None), "sample_size", None) or getattr(self.pipe, "default_sample_size", None)
        scale = getattr(self.pipe, "vae_scale_factor", None)
        if isinstance(sample, (tuple, list)):
            sample = sample[0]
        return int(sample * scale) if sample and scale else None


def _round8(size: int) -> int:
    """Image sides must be multiples of 8 for every latent-diffusion family."""
    return max(8, int(size) // 8 * 8)


def _default_steps(pipe: Any) -> Optional[int]:
    import inspect

    default = inspect.signature(pipe.__call__).parameters.get("num_inference_steps")
    return default.default if default is not None and isinstance(default.default, int) else None


def _open_init(path: str, side: Optional[int]) -> "Image":
    """The init image as RGB, resized to ``side`` x ``side`` (or to multiples of 8)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            im = im.convert("RGB")
    except (FileNotFoundError, UnidentifiedImageError, OSError) as exc:
        raise InputError(f"The picture to edit ('{path}') cannot be read: attach it again or start a new picture.") from exc
    if side:
        target = (side, side)
    else:
        scale = min(1.0, 1024 / max(im.size))
        target = (_round8(im.width * scale), _round8(im.height * scale))
    return im if im.size == target else im.resize(target, Image.Resampling.LANCZOS)


def _step_callback(on_step: StepCallback, steps: Optional[int]) -> Callable[..., dict]:
    """A diffusers ``callback_on_step_end`` that reports ``on_step(done, total)``."""

    def callback(pipeline: Any, step: int, timestep: Any, callback_kwargs: dict) -> dict:
        total = getattr(pipeline, "num_timesteps", None) or steps or step + 1
        on_step(step + 1, int(total))
        return callback_kwargs

    return callback
