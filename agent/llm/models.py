"""Model specs -> langchain chat models.

``load_chat_model(spec)`` turns one spec string into a ``BaseChatModel``:

- ``openai:MODEL``: ``ChatOpenAI`` against OpenAI or any OpenAI-compatible server (vLLM,
  Ollama, llama.cpp, ``transformers serve``) named by ``openai_base_url`` /
  ``$OPENAI_BASE_URL``. The API key comes from ``$OPENAI_API_KEY`` only and is never logged
  or kept anywhere but the client; credentials in the base URL (``http://user:key@host/v1``)
  are taken out of it and sent as HTTP basic auth, so no URL that is logged or traced holds them.
  Every request runs under an overall deadline (:func:`deadline`): the HTTP connection
  checks it on each connect, read and write, so a server that stalls or drips bytes is cut
  off at the deadline and the connection closed (the server can stop generating).
- ``hf:PATH_OR_HUB_ID``: a local transformers chat model (``ChatHuggingFace`` over a
  ``HuggingFacePipeline``), or, for a vision-language model (Qwen2-VL and the like), the small
  :class:`HFVisionChat` that hands attached images to the model's processor.

torch and transformers are imported inside the functions that need them.
"""

from __future__ import annotations

import base64
import io
import os
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from ..hub import hub_offline
from ..errors import ConfigError, ModelUnavailableError, redact_logs, split_userinfo
from ..specs import ModelSpec

#: Placeholder key for local OpenAI-compatible servers, which ignore it.
LOCAL_KEY = "not-needed"
#: OpenAI's own endpoint (a key is required there).
OPENAI_DEFAULT_URL = "https://api.openai.com/v1"
#: Per-read timeout of an OpenAI-compatible request made outside a role's deadline.
OPENAI_TIMEOUT_S = 60.0
#: New tokens a local model may write per call.
HF_MAX_NEW_TOKENS = 512

# Model names that an OpenAI-compatible server without a model profile serves with vision.
_VISION_NAME = re.compile(r"(^|[-_/.:])(vl|vision|llava|pixtral|internvl|minicpm-v)", re.IGNORECASE)


def load_chat_model(spec: str, *, openai_base_url: Optional[str] = None) -> BaseChatModel:
    """The chat model for ``spec`` (``openai:MODEL`` or ``hf:PATH_OR_HUB_ID``).

    Raises :class:`ConfigError` for an unknown spec form, a missing key for OpenAI itself,
    or a model path / hub id that cannot be found.
    """
    parsed = ModelSpec.parse(spec, "llm")
    if parsed.kind == "openai":
        return _load_openai(parsed.target, openai_base_url)
    return _load_hf(parsed.target)


def is_vision_model(model: Any) -> bool:
    """Whether ``model`` should see attached images themselves (not only their captions)."""
    if getattr(model, "vision", False) is True:
        return True
    profile = getattr(model, "profile", None)
    if isinstance(profile, dict) and "image_inputs" in profile:
        return bool(profile["image_inputs"])
    name = getattr(model, "model_name", None)
    if isinstance(name, str) and getattr(model, "_llm_type", "") == "openai-chat":
        return bool(_VISION_NAME.search(name))
    return False


def describe(model: Any) -> str:
    """Where a model lives, for error messages (a URL or a folder; never a key)."""
    url = getattr(model, "openai_api_base", None)
    if url:
        return str(url)
    return str(getattr(model, "model_id", "") or "")


# ---------------------------------------------------------------- call limits
@dataclass(frozen=True)
class CallLimits:
    """Bounds on one model call: tokens per role, the overall deadline, retries."""

    max_tokens: tuple[tuple[str, int], ...] = (("intent", 64), ("rewrite", 256), ("chat", 512), ("critic", 256))
    timeout: float = OPENAI_TIMEOUT_S
    retries: int = 1

    def tokens(self, role: str) -> int:
        return dict(self.max_tokens).get(role, 512)

    @classmethod
    def from_context(cls, ctx: Any) -> "CallLimits":
        base = cls()
        tokens = tuple((r, int(getattr(ctx, f"max_tokens_{r}", n))) for r, n in base.max_tokens)
        return cls(
            max_tokens=tokens,
            timeout=float(getattr(ctx, "llm_timeout", base.timeout)),
            retries=int(getattr(ctx, "llm_retries", base.retries)),
        )


_LIMITS: ContextVar[Optional[CallLimits]] = ContextVar("dialoggen_call_limits", default=None)


def current_limits() -> CallLimits:
    """The limits in force: :func:`use_limits` if set, else the running graph's
    :class:`~dialoggen.agent.context.Context`, else the defaults."""
    limits = _LIMITS.get()
    if limits is not None:
        return limits
    try:
        from langgraph.runtime import get_runtime

        ctx = get_runtime().context
    except Exception:  # not inside a graph run
        ctx = None
    if ctx is not None and hasattr(ctx, "llm_timeout"):
        return CallLimits.from_context(ctx)
    return CallLimits()


@contextmanager
def use_limits(limits: CallLimits) -> Iterator[CallLimits]:
    """Run model calls under ``limits`` (outside a graph: tests, ``dialoggen doctor``)."""
    token = _LIMITS.set(limits)
    try:
        yield limits
    finally:
        _LIMITS.reset(token)


# ---------------------------------------------------------------- the overall deadline
_DEADLINE: ContextVar[Optional[float]] = ContextVar("dialoggen_llm_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """HTTP requests of OpenAI-compatible models made inside this block end by
    ``time.monotonic() + seconds`` (an earlier deadline already in force wins)."""
    end = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(end if outer is None else min(outer, end))
    try:
        yield end
    finally:
        _DEADLINE.reset(token)


def _bounded(timeout: Optional[float], error: type) -> Optional[float]:
    """``timeout`` cut to what is left of the deadline; ``error`` once none is left."""
    end = _DEADLINE.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise error("the call's deadline passed")
    return left if timeout is None else min(timeout, left)


def _deadline_backend(inner: Any) -> Any:
    """An httpcore network backend whose connects, reads and writes end at the deadline."""
    import httpcore

    class Stream(httpcore.NetworkStream):
        def __init__(self, stream: Any) -> None:
            self._stream = stream

        def read(self, max_bytes: int, timeout: Optional[float] = None) -> bytes:
            return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

        def write(self, buffer: bytes, timeout: Optional[float] = None) -> None:
            return self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

        def close(self) -> None:
            self._stream.close()

        def start_tls(self, ssl_context: Any, server_hostname: Optional[str] = None, timeout: Optional[float] = None) -> Any:
            return Stream(self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)))

        def get_extra_info(self, info: str) -> Any:
            return self._stream.get_extra_info(info)

    class Backend(httpcore.NetworkBackend):
        def connect_tcp(self, host: str, port: int, timeout: Optional[float] = None, local_address: Optional[str] = None, socket_options: Any = None) -> Any:
            return Stream(inner.connect_tcp(host, port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options))

        def connect_unix_socket(self, path: str, timeout: Optional[float] = None, socket_options: Any = None) -> Any:
            return Stream(inner.connect_unix_socket(path, _bounded(timeout, httpcore.ConnectTimeout), socket_options))

        def sleep(self, seconds: float) -> None:
            inner.sleep(seconds)

    return Backend()


def deadline_http_client(auth: Optional[tuple[str, str]] = None) -> Any:
    """An ``httpx.Client`` whose requests honour :func:`deadline`."""
    import httpx

    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = _deadline_backend(pool._network_backend)
    return httpx.Client(transport=transport, auth=auth, timeout=httpx.Timeout(OPENAI_TIMEOUT_S, connect=10.0), follow_redirects=True)


# ---------------------------------------------------------------- openai:MODEL
def _load_openai(name: str, base_url: Optional[str]) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    redact_logs()
    url = (base_url or os.environ.get("OPENAI_BASE_URL") or "").strip() or None
    auth = None
    if url is not None:
        url, auth = split_userinfo(url)
    key = os.environ.get("OPENAI_API_KEY") or None
    if key is None:
        if url is None or url.rstrip("/") == OPENAI_DEFAULT_URL:
            raise ConfigError("Set OPENAI_API_KEY in the environment, or give --openai-base-url for a local server.")
        key = LOCAL_KEY  # vLLM, Ollama and llama.cpp ignore the key
    # Greedy answers for routing and judging; reasoning models (o1, o3, ...) take no temperature.
    extra = {} if re.match(r"o\d", name) else {"temperature": 0}
    # Retries are the role's (llm_retries, never after a timeout), not the SDK's. Answers are
    # streamed even when nobody shows them: a server stops generating when a streaming client
    # goes away (a non-streaming request abandoned at its deadline keeps the server busy:
    # transformers serve went on for 100 s), and LangGraph's messages mode gets the chat tokens.
    return ChatOpenAI(
        model=name, base_url=url, api_key=key, max_retries=0, timeout=OPENAI_TIMEOUT_S, http_client=deadline_http_client(auth),
        streaming=True, **extra
    )


# ---------------------------------------------------------------- hf:PATH_OR_HUB_ID
def _load_hf(ref: str) -> BaseChatModel:
    """A transformers chat model (or vision-language model) from a folder or hub id."""
    try:
        import transformers  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the install
        raise ConfigError("hf: models need the local extras: pip install 'dialoggen[local]'.") from None

    folder = Path(ref).expanduser()
    if (folder / "adapter_config.json").is_file():
        return _load_hf_adapter(folder)
    source = str(folder) if folder.exists() else ref
    looks_local = ref.startswith((".", "/", "~")) or ref.count("/") > 1 or (os.sep != "/" and os.sep in ref)
    if not folder.exists() and looks_local:
        raise ConfigError(f"No model folder at {ref}: give an existing folder or a Hugging Face hub id.")
    config, local_only = _hf_config(source)
    if config is None:
        where = "folder" if Path(source).exists() else "hub id"
        raise ConfigError(
            f"Could not load the model {where} '{ref}': give a folder holding a transformers model, "
            "or a hub id that is cached (or reachable, with HF_HUB_OFFLINE unset)."
        )
    if _is_vision_config(config):
        return HFVisionChat.load(source, local_files_only=local_only)
    return _load_hf_text(source, local_files_only=local_only)


def _hf_config(source: str) -> tuple[Any, bool]:
    """The model's config and whether every file is local (a folder or the hub cache), so
    that loading makes no network request; ``(None, ...)`` when it cannot be found."""
    from transformers import AutoConfig

    try:
        return AutoConfig.from_pretrained(source, local_files_only=True), True
    except (OSError, ValueError):
        pass
    if Path(source).exists() or hub_offline():
        return None, True
    try:
        return AutoConfig.from_pretrained(source), False
    except (OSError, ValueError):
        return None, False


def _is_vision_config(config: Any) -> bool:
    """A vision-language model: a vision tower, and an image-text-to-text model class."""
    if getattr(config, "vision_config", None) is None:
        return False
    from transformers import MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING

    return type(config) in MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING


def _device_kwargs() -> dict[str, Any]:
    """GPU: weights in their stored dtype spread by accelerate; CPU: float32."""
    import torch

    if torch.cuda.is_available():
        return {"device_map": "auto", "dtype": "auto"}
    return {"dtype": torch.float32}


def _load_hf_text(source: str, *, local_files_only: bool = False) -> BaseChatModel:
    from langchain_huggingface import ChatHuggingFace, HuggingFacePipeline
    from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_files_only)
    if not getattr(tokenizer, "chat_template", None):
        raise ConfigError(f"The model '{source}' has no chat template: use an instruction-tuned (chat) model.")
    try:
        model = AutoModelForCausalLM.from_pretrained(source, local_files_only=local_files_only, **_device_kwargs())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Could not load '{source}' as a causal language model ({type(exc).__name__}): give a chat model.") from None
    _greedy(model, HF_MAX_NEW_TOKENS)
    pipe = pipeline("text-generation", model=model, tokenizer=tokenizer, return_full_text=False)
    llm = HuggingFacePipeline(pipeline=pipe, model_id=source)
    return ChatHuggingFace(llm=llm, tokenizer=tokenizer, model_id=source)


def _load_hf_adapter(folder: Path) -> BaseChatModel:
    """A PEFT adapter folder (``dialoggen train``): the base named in ``adapter_config.json``
    with the adapter merged in; the tokenizer and chat template come from the folder."""
    import json

    from langchain_huggingface import ChatHuggingFace, HuggingFacePipeline
    from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

    try:
        from peft import PeftModel
    except ImportError:  # pragma: no cover - depends on the install
        raise ConfigError("An adapter folder needs peft: pip install 'dialoggen[train]'.") from None
    base = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8")).get("base_model_name_or_path") or ""
    config, local_only = _hf_config(base) if base else (None, True)
    if config is None:
        raise ConfigError(f"The adapter at {folder} needs its base model '{base}': put that model there (or in the hub cache) and try again.")
    tokenizer = AutoTokenizer.from_pretrained(str(folder) if (folder / "tokenizer_config.json").is_file() else base, local_files_only=local_only)
    if not getattr(tokenizer, "chat_template", None):
        raise ConfigError(f"The adapter at {folder} has no chat template: save the tokenizer of a chat model beside it.")
    model = AutoModelForCausalLM.from_pretrained(base, local_files_only=local_only, **_device_kwargs())
    model = PeftModel.from_pretrained(model, str(folder)).merge_and_unload()
    _greedy(model, HF_MAX_NEW_TOKENS)
    pipe = pipeline("text-generation", model=model, tokenizer=tokenizer, return_full_text=False)
    return ChatHuggingFace(llm=HuggingFacePipeline(pipeline=pipe, model_id=str(folder)), tokenizer=tokenizer, model_id=str(folder))


def _greedy(model: Any, max_new_tokens: int) -> None:
    """Set the model's generation config to greedy decoding of at most ``max_new_tokens``
    (sampling settings cleared, so transformers warns about nothing each call)."""
    gen = model.generation_config
    gen.do_sample = False
    gen.max_new_tokens = max_new_tokens
    for name in ("temperature", "top_p", "top_k", "max_length"):
        setattr(gen, name, None)


class HFVisionChat(BaseChatModel):
    """A transformers vision-language model as a chat model that sees images.

    Message content may be a string or a list of blocks: ``{"type": "text"}``, langchain's
    standard ``{"type": "image", "base64" | "url" | "path": ...}`` and OpenAI-style
    ``{"type": "image_url", "image_url": {"url": "data:..."}}``. The processor's chat
    template places the images; generation is greedy.
    """

    model_id: str
    model: Any = None
    processor: Any = None
    max_new_tokens: int = HF_MAX_NEW_TOKENS
    vision: bool = True

    @classmethod
    def load(cls, source: str, *, local_files_only: bool = False) -> "HFVisionChat":
        from transformers import AutoModelForImageTextToText, AutoProcessor

        processor = AutoProcessor.from_pretrained(source, local_files_only=local_files_only)
        if not getattr(processor, "chat_template", None):
            raise ConfigError(f"The model '{source}' has no chat template: use an instruction-tuned vision-language model.")
        model = AutoModelForImageTextToText.from_pretrained(source, local_files_only=local_files_only, **_device_kwargs())
        _greedy(model, HF_MAX_NEW_TOKENS)
        return cls(model_id=source, model=model, processor=processor, max_new_tokens=HF_MAX_NEW_TOKENS)

    @property
    def _llm_type(self) -> str:
        return "hf-vision-chat"

    def _generate(self, messages: list[BaseMessage], stop: Optional[list[str]] = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        import torch

        conversation, images = _to_processor_messages(messages)
        text = self.processor.apply_chat_template(conversation, add_generation_prompt=True, tokenize=False)
        inputs = self.processor(text=[text], images=images or None, return_tensors="pt")
        inputs = inputs.to(self.model.device, dtype=self.model.dtype)  # casts pixel values only
        with torch.inference_mode():
            out = self.model.generate(**inputs, max_new_tokens=self.max_new_tokens)
        new_tokens = out[:, inputs["input_ids"].shape[1] :]
        reply = self.processor.batch_decode(new_tokens, skip_special_tokens=True)[0]
        if stop:
            for s in stop:
                reply = reply.split(s, 1)[0]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=reply))])


def _to_processor_messages(messages: list[BaseMessage]) -> tuple[list[dict], list[Any]]:
    """Messages in the processor's chat format, and the PIL images in order of appearance."""
    roles = {SystemMessage: "system", HumanMessage: "user", AIMessage: "assistant"}
    out: list[dict] = []
    images: list[Any] = []
    for msg in messages:
        role = next((r for t, r in roles.items() if isinstance(msg, t)), "user")
        blocks = [{"type": "text", "text": msg.content}] if isinstance(msg.content, str) else list(msg.content)
        content: list[dict] = []
        for block in blocks:
            if isinstance(block, str):
                content.append({"type": "text", "text": block})
            elif block.get("type") == "text":
                content.append({"type": "text", "text": block.get("text", "")})
            elif block.get("type") in ("image", "image_url"):
                images.append(image_from_block(block))
                content.append({"type": "image"})
        out.append({"role": role, "content": content})
    return out, images


def image_from_block(block: dict) -> Any:
    """The PIL image of an image content block (base64, data URL or local path)."""
    from PIL import Image

    if block.get("type") == "image_url":
        url = block["image_url"]["url"] if isinstance(block.get("image_url"), dict) else block.get("image_url")
    else:
        url = block.get("url") or block.get("path")
        if block.get("base64"):
            return Image.open(io.BytesIO(base64.b64decode(block["base64"]))).convert("RGB")
    if url and url.startswith("data:"):
        return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")
    if url and Path(url.removeprefix("file://")).is_file():
        return Image.open(url.removeprefix("file://")).convert("RGB")
    raise ModelUnavailableError("An attached image could not be read: attach a local image file again.")
