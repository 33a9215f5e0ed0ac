"""The four roles served by any langchain chat model (see :mod:`dialoggen.agent.llm.models`).

- :class:`LLMIntent`: text or image, with a confidence; with ``full_turn`` the same single
  call also writes the reply or the drawing prompt (the paper's single pass).
- :class:`LLMRewriter`: the model names only the prompt parts it changes; they are applied
  to the previous prompt, so every untouched part stays byte-identical.
- :class:`LLMChat`: a text reply.
- :class:`LLMCritic`: a structured verdict on the paper's three rules, with a correction.

Structured output is asked for in the best mode the endpoint honours: for an
OpenAI-compatible server a JSON schema (``response_format: json_schema``), then JSON mode
(``json_object``), then the schema requested in the prompt; for other chat models their own
``with_structured_output``, then the prompt. A server that refuses a mode (HTTP 400/422) or
ignores it (answers prose) drops to the next; the mode that worked is remembered per endpoint
for the process. Answers are always parsed here, leniently, never by the SDK: output that does
not parse (prose, invalid JSON, wrong types, cut off at ``max_tokens``) is asked for once more,
then a safe fallback is used and ``last_notice`` says so: a role never crashes on bad output.

Every call is bounded (:class:`~dialoggen.agent.llm.models.CallLimits`, from the run's
``Context``): ``max_tokens`` per role, an overall deadline (``llm_timeout``) and retries
(``llm_retries``) for refused, unreachable, rate-limited or failing (5xx) servers only; a
timed-out call is not retried. A model that cannot be used raises
:class:`~dialoggen.agent.errors.ModelUnavailableError` (:class:`ModelTimeoutError` for a
timeout) whose sentence says what happened. Internal calls (intent, rewrite, critic) carry
LangGraph's ``nostream`` tag, so the ``messages`` stream mode streams only the chat reply.

History is shown to the model the paper's way: an image in the conversation is
``<img>CAPTION</img>`` (a drawn image: ``<img>DRAWING PROMPT</img>``); a vision model gets
the current turn's attached image itself.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
import re
import threading
import time
from pathlib import Path
from string import Template
from typing import Any, Optional, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError, field_validator

from ...prompts import load_prompt
from ..errors import DialogGenError, ModelTimeoutError, ModelUnavailableError, redact
from .models import OPENAI_DEFAULT_URL, HFVisionChat, current_limits, deadline, describe, is_vision_model
from ..prompt import DrawingPrompt
from ..schemas import Conversation
from ..schemas import CriticRule, CriticVerdict, ImageRef, Modality, TurnDecision

log = logging.getLogger(__name__)

#: Finished turns shown to the model (older ones are left out).
HISTORY_TURNS = 8
#: Longest side of an attached image sent to a vision model.
MAX_IMAGE_SIDE = 1024

S = TypeVar("S", bound=BaseModel)


# ---------------------------------------------------------------- output schemas
def _modality(value: Any) -> Any:
    """Accept 'Image', 'picture', 'draw' ... for image and 'reply', 'words' ... for text."""
    if isinstance(value, str):
        v = value.strip().lower()
        if v in ("image", "picture", "img", "draw", "drawing", "photo", "图片", "图像", "画"):
            return "image"
        if v in ("text", "reply", "words", "chat", "文本", "文字"):
            return "text"
    return value


class PromptChanges(BaseModel):
    """Parts of a drawing prompt to change; a part left out (null) stays as it is."""

    subject: Optional[str] = Field(default=None, description="New subject and action, e.g. 'A black steam train gallops along the tracks'.")
    background: Optional[str] = Field(default=None, description="New background phrase, e.g. 'a beach at sunset' ('' removes it).")
    shot: Optional[str] = Field(default=None, description="New camera shot, e.g. 'a close-up' ('' removes it).")
    style: Optional[str] = Field(default=None, description="New style, e.g. 'watercolor' ('' removes it).")
    extras: Optional[list[str]] = Field(default=None, description="The whole new list of extra sentences (to remove or rewrite extras).")
    add_extras: list[str] = Field(default_factory=list, description="Extra sentences to add: new objects, lighting, mood.")


class PromptEdit(BaseModel):
    """The rewriter's answer: changes to the previous prompt, or a new prompt (start_over)."""

    start_over: bool = Field(default=False, description="True when the user asks for a new, unrelated picture; then give every part.")
    changes: PromptChanges = Field(default_factory=PromptChanges)


class IntentOutput(BaseModel):
    """Text or image, and how sure."""

    modality: Modality = Field(description="'image' to draw a picture, 'text' to answer in words.")
    confidence: float = Field(default=0.5, description="Probability (0 to 1) that the modality is right.")

    @field_validator("modality", mode="before")
    @classmethod
    def _norm_modality(cls, v: Any) -> Any:
        return _modality(v)

    @field_validator("confidence", mode="before")
    @classmethod
    def _clamp(cls, v: Any) -> float:
        try:
            v = float(v)
        except (TypeError, ValueError):
            return 0.5
        if v > 1.0 and v <= 100.0:  # a percentage
            v /= 100.0
        return min(1.0, max(0.0, v))


class TurnOutput(IntentOutput):
    """The single-pass answer: modality, confidence, and the reply or the prompt changes."""

    reply: Optional[str] = Field(default=None, description="The text reply, when modality is 'text'.")
    start_over: bool = Field(default=False, description="Image: true for a new, unrelated picture.")
    changes: Optional[PromptChanges] = Field(default=None, description="Image: the prompt parts to change (every part for a new picture).")


def _text_or_none(value: Any) -> Any:
    """A drawing text as a string: a list of sentences is joined, anything else is dropped
    (a small model's odd value never fails the whole answer)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " ".join(v.strip() for v in value if v.strip())
    return None


class TurnDrawOutput(TurnOutput):
    """:class:`TurnOutput` plus the drawing text in the T2I model's language, asked for (this
    schema sent) only when that language differs from the user's."""

    draw_prompt: Optional[str] = Field(default=None, description="Image: the whole new drawing prompt, in the drawing language the instructions name.")

    @field_validator("draw_prompt", mode="before")
    @classmethod
    def _draw(cls, v: Any) -> Any:
        return _text_or_none(v)


class PromptEditDraw(PromptEdit):
    """:class:`PromptEdit` plus the whole new drawing prompt in the T2I model's language."""

    draw_prompt: Optional[str] = Field(default=None, description="The whole new drawing prompt, in the drawing language the instructions name.")

    @field_validator("draw_prompt", mode="before")
    @classmethod
    def _draw(cls, v: Any) -> Any:
        return _text_or_none(v)


class CriticOutput(BaseModel):
    """The critic's answer (the corrected prompt is given as changes)."""

    ok: bool = Field(description="True when the turn follows all three rules.")
    rule: Optional[CriticRule] = Field(default=None, description="The first rule broken: intent, coherence or descriptive_prompt.")
    reason: str = Field(default="", description="Why, in one sentence.")
    corrected_modality: Optional[Modality] = Field(default=None, description="The right modality, when rule 'intent' is broken.")
    corrected_reply: Optional[str] = Field(default=None, description="The corrected text reply, when the right output is text.")
    corrected_changes: Optional[PromptChanges] = Field(default=None, description="Prompt parts to change, when the right output is an image.")

    @field_validator("corrected_modality", mode="before")
    @classmethod
    def _norm_modality(cls, v: Any) -> Any:
        return _modality(v) or None

    @field_validator("rule", mode="before")
    @classmethod
    def _rule(cls, v: Any) -> Any:
        aliases = {"1": "intent", "2": "coherence", "3": "descriptive_prompt", "modality": "intent", "descriptive": "descriptive_prompt"}
        if isinstance(v, (int, str)):
            key = str(v).strip().lower().removeprefix("rule").strip(" _-:")
            key = aliases.get(key, key)
            return key if key in ("intent", "coherence", "descriptive_prompt") else None
        return None


class CriticDrawOutput(CriticOutput):
    """:class:`CriticOutput` plus the corrected drawing prompt in the T2I model's language."""

    corrected_draw_prompt: Optional[str] = Field(
        default=None, description="With corrected_changes: the whole corrected drawing prompt, in the drawing language the instructions name."
    )

    @field_validator("corrected_draw_prompt", mode="before")
    @classmethod
    def _draw(cls, v: Any) -> Any:
        return _text_or_none(v)


# ---------------------------------------------------------------- the drawing text
def draw_target(conv: Conversation) -> Optional[str]:
    """The language an LLM role writes the drawing text in besides the user's: the T2I
    model's (``conv.draw_lang``) when known and different from the conversation's, else
    ``None`` (then the field is not asked for and the prompt text is unchanged)."""
    return conv.draw_lang if conv.draw_lang and conv.draw_lang != conv.lang else None


def system_prompt(name: str, draw_lang: Optional[str] = None, field: str = "draw_prompt") -> str:
    """The system prompt ``prompts/<name>.md`` as sent: its ``$draw_prompt`` filled with
    ``prompts/draw_prompt_<draw_lang>.md`` (naming the answer's ``field``) or with nothing."""
    text = load_prompt(name)
    if "$draw_prompt" not in text:
        return text
    fill = ""
    if draw_lang:
        fill = Template(re.sub(r"<!--.*?-->\s*", "", load_prompt(f"draw_prompt_{draw_lang}"), flags=re.S)).safe_substitute(field=field).strip()
    return re.sub(r"\n{3,}", "\n\n", Template(text).safe_substitute(draw_prompt=fill))


def previous_draw_text(conv: Conversation, lang: str) -> Optional[str]:
    """The text the last picture was drawn from, when it was drawn in ``lang``."""
    for t in reversed(conv.turns):
        if t.get("prompt"):
            return t.get("draw_text") if t.get("draw_lang") == lang and t.get("draw_text") else None
    return None


def _draw_task(conv: Conversation, target: Optional[str]) -> str:
    """The task's line with the previous drawing text (edits keep it as unchanged as the prompt)."""
    if not target:
        return ""
    return f"Previous drawing text ({_lang_name(target)}): {previous_draw_text(conv, target) or '(none)'}\n"


def _draw_text(value: Optional[str]) -> Optional[str]:
    text = (value or "").strip()
    return text or None


# ---------------------------------------------------------------- prompt edits
_FRAMES = {
    "background": (r"^the background is\s+", r"^背景是"),
    "shot": (r"^the shot is\s+", r"^镜头是"),
    "style": (r"^the style is\s+", r"^风格是"),
}


def _phrase(part: str, text: str) -> str:
    """A part's value as a phrase: 'The background is a beach.' -> 'a beach'."""
    text = text.strip()
    for pattern in _FRAMES.get(part, ()):
        text = re.sub(pattern, "", text, flags=re.IGNORECASE)
    if part != "subject":
        text = text.rstrip("。.").strip()
    return text


def apply_changes(
    base: Optional[DrawingPrompt], changes: Optional[PromptChanges], *, lang: str, request: str, start_over: bool = False
) -> DrawingPrompt:
    """``base`` with ``changes`` applied; parts not named are copied untouched. A new prompt
    (no base, ``start_over``, or a full prompt in another language) is built from the changes,
    the request standing in for a missing subject."""
    changes = changes or PromptChanges()
    given = {p: _phrase(p, v) for p in ("subject", "background", "shot", "style") if (v := getattr(changes, p)) is not None}
    new_lang = base is not None and base.lang != lang and given.get("subject")
    if base is None or start_over or new_lang:
        extras = [e.strip() for e in (changes.extras or []) + changes.add_extras if e.strip()]
        return DrawingPrompt(
            subject=given.get("subject") or request.strip(),
            background=given.get("background", ""),
            shot=given.get("shot", ""),
            style=given.get("style", ""),
            extras=extras,
            lang=lang,  # type: ignore[arg-type]
        )
    update: dict[str, Any] = {p: v for p, v in given.items() if v or p != "subject"}
    if changes.extras is not None or changes.add_extras:
        extras = list(base.extras) if changes.extras is None else [e.strip() for e in changes.extras if e.strip()]
        extras += [e.strip() for e in changes.add_extras if e.strip() and e.strip() not in extras]
        if extras != base.extras:
            update["extras"] = extras
    update = {k: v for k, v in update.items() if getattr(base, k) != v}
    if base.lang != lang:
        update["lang"] = lang
    return base.model_copy(update=update) if update else base


def fallback_prompt(conv: Conversation) -> DrawingPrompt:
    """The rewrite when the model's output is unusable: the previous prompt with the request
    added as an extra sentence, or a prompt made of the request."""
    prev = conv.previous_prompt
    if prev is None:
        return DrawingPrompt(subject=conv.user.strip(), lang=conv.lang)
    return prev.model_copy(update={"extras": [*prev.extras, conv.user.strip()]})


# ---------------------------------------------------------------- rendering the thread
def _img(ref: Optional[ImageRef]) -> str:
    if not ref:
        return ""
    return f"<img>{(ref.get('caption') or 'an image').strip()}</img> "


def _text_of(msg: BaseMessage) -> str:
    if isinstance(msg.content, str):
        return msg.content
    return " ".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in msg.content if not isinstance(b, dict) or b.get("type") == "text")


def history(conv: Conversation, limit: int = HISTORY_TURNS) -> list[tuple[str, str]]:
    """Earlier turns as ``(role, text)`` pairs, ``role`` in ``user``/``assistant``; images as
    ``<img>...</img>``. From the turn records when there are any, else from the messages."""
    out: list[tuple[str, str]] = []
    if conv.turns:
        for t in conv.turns[-limit:]:
            out.append(("user", _img(t.get("attachment")) + (t.get("user") or "")))
            if t.get("modality") == "image":
                out.append(("assistant", f"<img>{t.get('prompt_text') or ''}</img>"))
            else:
                out.append(("assistant", t.get("reply") or ""))
        return out
    messages: list[AnyMessage] = list(conv.messages)
    if messages and isinstance(messages[-1], HumanMessage):
        messages = messages[:-1]
    for msg in messages[-2 * limit :]:
        if isinstance(msg, HumanMessage):
            out.append(("user", _text_of(msg)))
        elif isinstance(msg, AIMessage):
            meta = (msg.additional_kwargs or {}).get("dialoggen") or {}
            text = _text_of(msg)
            out.append(("assistant", f"<img>{text}</img>" if meta.get("modality") == "image" else text))
    return out


def image_block(ref: Optional[ImageRef]) -> Optional[dict]:
    """A langchain standard image block with the attached file (shrunk to MAX_IMAGE_SIDE),
    or ``None`` when there is no readable file."""
    path = Path(ref["path"]) if ref and ref.get("path") else None
    if path is None or not path.is_file():
        return None
    data = path.read_bytes()
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    try:
        from PIL import Image
        import io

        with Image.open(io.BytesIO(data)) as im:
            if max(im.size) > MAX_IMAGE_SIDE or mime not in ("image/png", "image/jpeg"):
                im = im.convert("RGB")
                im.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
                buf = io.BytesIO()
                im.save(buf, format="PNG")
                data, mime = buf.getvalue(), "image/png"
    except Exception:  # not an image PIL can read: send nothing
        return None
    return {"type": "image", "base64": base64.b64encode(data).decode("ascii"), "mime_type": mime}


def _lang_name(lang: str) -> str:
    return "Chinese (中文)" if lang == "zh" else "English"


# ---------------------------------------------------------------- JSON from text
def _json_candidates(text: str) -> list[str]:
    """Balanced ``{...}`` spans of ``text``, fenced code first, outermost first."""
    found = re.findall(r"```(?:json)?\s*(\{.*?\})\s*```", text, flags=re.DOTALL)
    depth, start, in_str, esc = 0, -1, False, False
    for i, ch in enumerate(text):
        if in_str:
            esc = (ch == "\\") and not esc
            if ch == '"' and not esc:
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                found.append(text[start : i + 1])
    return found


def parse_json(schema: type[S], text: str) -> Optional[S]:
    """The first JSON object in ``text`` that validates as ``schema``, else ``None``."""
    for candidate in _json_candidates(text or ""):
        try:
            return schema.model_validate(json.loads(candidate))
        except (ValueError, ValidationError):
            continue
    return None


# ---------------------------------------------------------------- errors
def _connection_refused(exc: BaseException) -> bool:
    """Whether a connection error was a refusal (nothing listens there) rather than no route."""
    seen: set[int] = set()
    cur: Optional[BaseException] = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ConnectionRefusedError) or "connection refused" in str(cur).lower() or "errno 111" in str(cur).lower():
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def unavailable(name: str, model: Any, exc: BaseException, *, timeout: Optional[float] = None) -> Optional[ModelUnavailableError]:
    """The one-sentence error for a model that cannot be used (timed out, refused,
    unreachable, rate-limited, key refused, server failure), or ``None`` when ``exc`` is not
    such a failure. Never includes a key or URL credentials."""
    from langchain_core import exceptions as lc

    where = redact(describe(model) or "its server")
    try:
        import openai
    except ImportError:  # pragma: no cover - openai is a core dependency
        openai = None  # type: ignore[assignment]

    def isa(oa: str, lc_cls: Any) -> bool:
        return isinstance(exc, lc_cls) or (openai is not None and isinstance(exc, getattr(openai, oa)))

    if isinstance(exc, lc.ContextOverflowError):
        msg = f"The conversation is too long for {name}: start a new thread or use a model with a longer context."
    elif isa("APITimeoutError", lc.ModelTimeoutError):
        limit = f"within {timeout:g} s " if timeout else "in time "
        return ModelTimeoutError(
            f"The model {name} timed out: no complete answer {limit}from {where}, and the call was not retried; "
            "check that the server is not overloaded, or allow more time with --llm-timeout."
        )
    elif isa("APIConnectionError", lc.ModelConnectionError):
        if _connection_refused(exc):
            msg = f"The server at {where} refused the connection for {name}: start the server there, or fix --openai-base-url."
        else:
            msg = f"The model {name} could not be reached at {where}: check that the server is running there, or fix --openai-base-url."
    elif isa("AuthenticationError", lc.ModelAuthenticationError) or isa("PermissionDeniedError", lc.ModelPermissionDeniedError):
        msg = f"The server at {where} refused the API key for {name}: check OPENAI_API_KEY."
    elif isa("NotFoundError", lc.ModelNotFoundError):
        msg = f"The server at {where} does not serve {name}: check the model name and the base URL."
    elif isa("RateLimitError", lc.ModelRateLimitError):
        msg = f"The server at {where} is rate-limiting {name}: wait a moment and try again."
    elif isa("APIStatusError", lc.ModelAPIError) or isa("APIError", lc.ModelError):
        status = getattr(exc, "status_code", None)
        msg = f"The server at {where} failed for {name}{f' (HTTP {status})' if status else ''}: check the server's log and try again."
    elif type(exc).__name__ == "OutOfMemoryError" or isinstance(exc, MemoryError):
        msg = f"The model {name} ran out of memory: use a smaller model or free the GPU."
    else:
        return None
    return ModelUnavailableError(msg)


def _structured_unsupported(exc: BaseException) -> bool:
    """A 400 or 422 from a server that does not take the structured-output field (then the
    next mode down is tried); a context overflow is not that."""
    try:
        import openai
    except ImportError:  # pragma: no cover
        return False
    from langchain_core.exceptions import ContextOverflowError

    if isinstance(exc, ContextOverflowError):
        return False
    return isinstance(exc, (openai.BadRequestError, openai.UnprocessableEntityError))


def _retry_wait(exc: BaseException, attempt: int) -> Optional[float]:
    """Seconds to wait before retrying ``exc`` (refused or unreachable, rate-limited, HTTP
    5xx), or ``None`` when it must not be retried (a timeout above all)."""
    try:
        import openai
    except ImportError:  # pragma: no cover
        return None
    if isinstance(exc, openai.APITimeoutError):
        return None
    wait = 0.5 * 2**attempt
    if isinstance(exc, openai.RateLimitError):
        try:
            wait = max(wait, float(exc.response.headers.get("retry-after", 0)))
        except (TypeError, ValueError, AttributeError):
            pass
        return wait
    if isinstance(exc, openai.InternalServerError) or isinstance(exc, openai.APIConnectionError):
        return wait
    return None


# ---------------------------------------------------------------- structured-output modes
#: Modes tried in order for an OpenAI-compatible server: a JSON schema the server enforces,
#: JSON mode (schema in the prompt), then the schema requested in the prompt only.
OPENAI_MODES = ("json_schema", "json_object", "prompt")
#: Modes for any other langchain chat model: its own ``with_structured_output``, then the prompt.
NATIVE_MODES = ("native", "prompt")

_modes_lock = threading.Lock()
_endpoint_modes: dict[tuple[str, str], str] = {}


def _is_openai(model: Any) -> bool:
    return getattr(model, "_llm_type", "") == "openai-chat"


def endpoint_key(model: Any) -> tuple[str, str]:
    """What a learned mode is remembered by: the server's URL (or folder) and the model name."""
    name = getattr(model, "model_name", None) or getattr(model, "model_id", None) or type(model).__name__
    return (describe(model), str(name))


def structured_mode(model: Any) -> str:
    """The structured-output mode used first for ``model``: the one that worked for its
    endpoint in this process, else the best one."""
    modes = OPENAI_MODES if _is_openai(model) else NATIVE_MODES
    with _modes_lock:
        return _endpoint_modes.get(endpoint_key(model), modes[0])


def _demote(model: Any, mode: str, *, to_prompt: bool = False) -> str:
    """Stop using ``mode`` for this endpoint; the next mode down (or the prompt mode)."""
    modes = OPENAI_MODES if _is_openai(model) else NATIVE_MODES
    nxt = modes[-1] if to_prompt else modes[min(modes.index(mode) + 1, len(modes) - 1)]
    with _modes_lock:
        key = endpoint_key(model)
        current = _endpoint_modes.get(key, modes[0])
        if modes.index(nxt) > modes.index(current):
            _endpoint_modes[key] = nxt
        return _endpoint_modes.get(key, nxt)


def _remember(model: Any, mode: str) -> None:
    with _modes_lock:
        _endpoint_modes.setdefault(endpoint_key(model), mode)


def forget_modes() -> None:
    """Forget every learned mode (tests)."""
    with _modes_lock:
        _endpoint_modes.clear()


class CallStats:
    """Process-wide counts of model calls: requests, seconds and parse results per role and
    structured mode, and fallbacks per role (``dialoggen doctor``, the local-server report)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests: dict[tuple[str, str], int] = {}
            self.seconds: dict[tuple[str, str], float] = {}
            self.unparsed: dict[tuple[str, str], int] = {}
            self.calls: dict[str, int] = {}
            self.fallbacks: dict[str, int] = {}

    def request(self, role: str, mode: str, seconds: float, parsed: Optional[bool]) -> None:
        key = (role, mode)
        with self._lock:
            self.requests[key] = self.requests.get(key, 0) + 1
            self.seconds[key] = self.seconds.get(key, 0.0) + seconds
            if parsed is False:
                self.unparsed[key] = self.unparsed.get(key, 0) + 1

    def call(self, role: str, *, fallback: bool) -> None:
        with self._lock:
            self.calls[role] = self.calls.get(role, 0) + 1
            if fallback:
                self.fallbacks[role] = self.fallbacks.get(role, 0) + 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": {f"{r}/{m}": n for (r, m), n in self.requests.items()},
                "seconds": {f"{r}/{m}": round(s, 3) for (r, m), s in self.seconds.items()},
                "unparsed": {f"{r}/{m}": n for (r, m), n in self.unparsed.items()},
                "calls": dict(self.calls),
                "fallbacks": dict(self.fallbacks),
            }


#: The one process-wide :class:`CallStats`.
STATS = CallStats()


# ---------------------------------------------------------------- the roles
class _LLMRole:
    """What the four roles share: the model, bounded calls with retries, structured output
    in the best mode the server honours, error mapping."""

    prompt_name = ""
    role = ""  # intent | rewrite | chat | critic: the max_tokens setting and the stream tag

    def __init__(self, model: BaseChatModel, *, name: str) -> None:
        self.model = model
        self.name = name
        self.vision = is_vision_model(model)
        self._runnables: dict[type, Any] = {}
        #: The notice of this thread's last call that used a fallback (``None`` when none).
        self._local = threading.local()

    @property
    def last_notice(self) -> Optional[str]:
        """The sentence to show when this thread's last call fell back (else ``None``)."""
        return getattr(self._local, "notice", None)

    # -- messages
    def system(self, prompt_name: Optional[str] = None, *, draw_lang: Optional[str] = None, field: str = "draw_prompt") -> SystemMessage:
        return SystemMessage(content=system_prompt(prompt_name or self.prompt_name, draw_lang, field))

    def task_message(self, conv: Conversation, task: str) -> HumanMessage:
        """The conversation as a transcript, the current message, and the task's data."""
        lines = [f"{'User' if r == 'user' else 'Assistant'}: {t}" for r, t in history(conv)]
        block = image_block(conv.attachment) if (self.vision and conv.attachment) else None
        current = ("[the attached image below] " if block else _img(conv.attachment)) + conv.user
        text = (
            ("Conversation so far:\n" + "\n".join(lines) + "\n\n" if lines else "Conversation so far: (none)\n\n")
            + f"Current user message:\nUser: {current}\n\n"
            + f"Language of the user: {_lang_name(conv.lang)}\n"
            + task
        )
        if block is None:
            return HumanMessage(content=text)
        return HumanMessage(content=[{"type": "text", "text": text}, block])

    # -- calls
    def _bound(self, runnable: Any, max_tokens: int, response_format: Optional[dict] = None) -> Any:
        """``runnable`` with the role's token limit in the form the model takes (and, for an
        OpenAI-compatible server, the ``response_format`` of the structured mode)."""
        if _is_openai(self.model):
            body: dict[str, Any] = {}
            if describe(self.model).rstrip("/") != OPENAI_DEFAULT_URL:
                # langchain sends max_completion_tokens; older local servers read max_tokens only.
                body["max_tokens"] = max_tokens
            if response_format is not None:
                # In the body, not as langchain's response_format: then the SDK's .parse() (which
                # raises on prose, wrong types or a cut-off answer) is not used; we parse leniently.
                body["response_format"] = response_format
            return runnable.bind(max_tokens=max_tokens, **({"extra_body": body} if body else {}))
        if isinstance(self.model, HFVisionChat):
            return runnable.bind(max_new_tokens=max_tokens)
        if getattr(self.model, "_llm_type", "") == "huggingface-chat-wrapper":
            return runnable.bind(pipeline_kwargs={"max_new_tokens": max_tokens})
        return runnable

    def _config(self) -> dict[str, Any]:
        """Run name and tags: internal calls are tagged so LangGraph's ``messages`` stream
        mode leaves them out (only the chat reply streams)."""
        from langgraph.constants import TAG_NOSTREAM

        tags = [f"dialoggen:{self.role}"] + ([] if self.role == "chat" else [TAG_NOSTREAM])
        return {"run_name": f"dialoggen.{self.role}", "tags": tags}

    def _invoke(self, runnable: Any, messages: list[BaseMessage], *, structured: bool = False) -> Any:
        """One call under the overall deadline (``llm_timeout``), retried at most
        ``llm_retries`` times when refused, unreachable, rate-limited or failed with HTTP 5xx
        and time is left; a timed-out or cancelled call is never retried."""
        limits = current_limits()
        attempt = 0
        with deadline(limits.timeout) as end:
            while True:
                try:
                    return runnable.invoke(messages, config=self._config())
                except DialogGenError:
                    raise
                except Exception as exc:
                    if structured and _structured_unsupported(exc):
                        raise _NoStructuredOutput() from exc
                    wait = _retry_wait(exc, attempt) if attempt < limits.retries else None
                    if wait is not None and time.monotonic() + wait < end - 0.05:
                        attempt += 1
                        log.info("%s: %s; retry %d of %d in %.1f s", self.name, type(exc).__name__, attempt, limits.retries, wait)
                        time.sleep(wait)
                        continue
                    err = unavailable(self.name, self.model, exc, timeout=limits.timeout)
                    if err is None:
                        first = (str(exc).splitlines() or [""])[0][:160]
                        err = ModelUnavailableError(f"The model {self.name} failed ({type(exc).__name__}: {first}): check the model and try again.")
                    raise err from exc

    @property
    def last_message_id(self) -> Optional[str]:
        """The id of the message this thread's last text call produced (the id LangGraph's
        ``messages`` stream mode streamed it under): a graph that records the reply as an
        ``AIMessage`` with this id is streamed one message, not two."""
        return getattr(self._local, "message_id", None)

    def text(self, messages: list[BaseMessage]) -> str:
        """One plain call; the answer's text."""
        limits = current_limits()
        self._local.notice = None
        start = time.monotonic()
        ai = self._invoke(self._bound(self.model, limits.tokens(self.role)), messages)
        self._local.message_id = getattr(ai, "id", None)
        answer = _text_of(ai).strip()
        STATS.request(self.role, "text", time.monotonic() - start, None)
        STATS.call(self.role, fallback=False)
        return answer

    def structured(self, schema: type[S], messages: list[BaseMessage], *, max_tokens: Optional[int] = None) -> Optional[S]:
        """One call returning ``schema`` in the best mode the endpoint honours; an answer
        that does not parse (prose, invalid JSON, wrong types, cut off) is asked for once
        more, with the bad answer shown; ``None`` after two failures (the caller's fallback)."""
        self._local.notice = None
        tokens = max_tokens or current_limits().tokens(self.role)
        out, raw, cut = self._structured_once(schema, messages, tokens)
        if out is not None:
            STATS.call(self.role, fallback=False)
            return out
        log.info("%s: output did not parse as %s; asking once more", self.name, schema.__name__)
        ask = "That answer was not a valid JSON object of the form asked for"
        ask += " (it was cut off: keep it short)" if cut else ""
        retry = [
            *messages,
            AIMessage(content=(raw or "(empty)")[:2000]),
            HumanMessage(content=f"{ask} ({schema.__name__}). Answer again with the JSON object only."),
        ]
        out, _, _ = self._structured_once(schema, retry, tokens)
        STATS.call(self.role, fallback=out is None)
        if out is None:
            log.warning("%s: output did not parse as %s twice; using the fallback", self.name, schema.__name__)
            self._local.notice = f"The model {self.name} gave no usable {self.role} answer twice, so a safe fallback was used."
        return out

    def _structured_once(self, schema: type[S], messages: list[BaseMessage], tokens: int) -> tuple[Optional[S], str, bool]:
        """One answer, in the endpoint's mode; a mode the server refuses (HTTP 400/422) is
        dropped for the next one down at once. ``(value or None, raw text, cut off?)``."""
        mode = structured_mode(self.model)
        while True:
            start = time.monotonic()
            try:
                out, raw, cut = self._ask(schema, messages, tokens, mode)
            except _NoStructuredOutput:
                STATS.request(self.role, mode, time.monotonic() - start, None)
                nxt = _demote(self.model, mode)
                log.info("%s: the server refused structured mode %s; trying %s", self.name, mode, nxt)
                if nxt == mode:  # pragma: no cover - the prompt mode sends no special field
                    return None, "", False
                mode = nxt
                continue
            STATS.request(self.role, mode, time.monotonic() - start, out is not None)
            if out is not None:
                _remember(self.model, mode)
            elif mode in ("json_schema", "json_object", "native") and not cut and not _json_candidates(raw):
                # Answered 200 with no JSON at all: the server ignores the field (transformers
                # serve does); the prompt mode is used from now on.
                nxt = _demote(self.model, mode, to_prompt=True)
                log.info("%s: the server ignored structured mode %s; using %s", self.name, mode, nxt)
            return out, raw, cut

    def _ask(self, schema: type[S], messages: list[BaseMessage], tokens: int, mode: str) -> tuple[Optional[S], str, bool]:
        if mode == "native":
            try:
                runnable = self._runnables.get(schema) or self.model.with_structured_output(schema, include_raw=True)
            except NotImplementedError:
                _demote(self.model, mode)
                mode = "prompt"
            else:
                self._runnables[schema] = runnable
                result = self._invoke(self._bound(runnable, tokens), messages, structured=True)
                out, raw = _from_structured(schema, result)
                raw_msg = result.get("raw") if isinstance(result, dict) else None
                return out, raw, _cut_off(raw_msg)
        if mode == "json_schema":
            runnable = self._bound(self.model, tokens, response_format=_response_schema(schema))
            ai = self._invoke(runnable, messages, structured=True)
        elif mode == "json_object":
            runnable = self._bound(self.model, tokens, response_format={"type": "json_object"})
            ai = self._invoke(runnable, [*messages[:-1], _with_json_request(messages[-1], schema)], structured=True)
        else:
            ai = self._invoke(self._bound(self.model, tokens), [*messages[:-1], _with_json_request(messages[-1], schema)])
        raw = _text_of(ai)
        return parse_json(schema, raw), raw, _cut_off(ai)


def _cut_off(msg: Any) -> bool:
    """Whether the answer stopped at the token limit."""
    meta = getattr(msg, "response_metadata", None) or {}
    return meta.get("finish_reason") == "length" or meta.get("stop_reason") == "max_tokens"


def _response_schema(schema: type[BaseModel]) -> dict:
    """``response_format`` for the JSON-schema mode (strict where the schema allows it)."""
    try:
        from openai.lib._pydantic import to_strict_json_schema

        body, strict = to_strict_json_schema(schema), True
    except Exception:  # an SDK without the helper: a plain schema, not strict
        body, strict = schema.model_json_schema(), False
    return {"type": "json_schema", "json_schema": {"name": schema.__name__, "schema": body, "strict": strict}}


class _NoStructuredOutput(Exception):
    """The server rejected the structured-output request itself."""


def _from_structured(schema: type[S], result: Any) -> tuple[Optional[S], str]:
    """The parsed value of an ``include_raw`` result; the raw content or tool arguments are
    parsed leniently when the model's own parser gave up."""
    if isinstance(result, schema):
        return result, ""
    if not isinstance(result, dict) or "raw" not in result:
        try:
            return schema.model_validate(result), ""
        except ValidationError:
            return None, str(result)
    parsed, raw = result.get("parsed"), result.get("raw")
    if isinstance(parsed, schema):
        return parsed, ""
    if isinstance(parsed, dict):
        try:
            return schema.model_validate(parsed), ""
        except ValidationError:
            pass
    texts = [json.dumps(c.get("args") or {}) for c in getattr(raw, "tool_calls", None) or []]
    texts.append(_text_of(raw) if isinstance(raw, BaseMessage) else str(raw or ""))
    for text in texts:
        if (out := parse_json(schema, text)) is not None:
            return out, text
    return None, "\n".join(t for t in texts if t)


def _with_json_request(msg: BaseMessage, schema: type[BaseModel]) -> HumanMessage:
    """The last message with a request for bare JSON of ``schema`` (plain-text models)."""
    ask = (
        "\n\nAnswer with one JSON object only (no prose, no code fence), matching this JSON schema:\n"
        + json.dumps(_compact(schema.model_json_schema()), ensure_ascii=False, separators=(",", ":"))
    )
    if isinstance(msg.content, str):
        return HumanMessage(content=msg.content + ask)
    return HumanMessage(content=[*msg.content, {"type": "text", "text": ask}])


def _compact(node: Any) -> Any:
    """A JSON schema without titles and descriptions (shorter for small local models; the
    role's prompt explains the fields)."""
    if isinstance(node, dict):
        return {k: _compact(v) for k, v in node.items() if k not in ("title", "description") or not isinstance(v, str)}
    if isinstance(node, list):
        return [_compact(v) for v in node]
    return node


def _prompt_json(prompt: Optional[DrawingPrompt]) -> str:
    if prompt is None:
        return "(none)"
    return json.dumps(prompt.model_dump(exclude={"lang"}), ensure_ascii=False)


class LLMIntent(_LLMRole):
    """Text or image; with ``full_turn`` also the reply or the prompt, in the same call."""

    prompt_name = "intent"
    role = "intent"

    def decide(self, conv: Conversation, *, full_turn: bool = False) -> TurnDecision:
        target = draw_target(conv) if full_turn else None
        if full_turn:
            task = (
                f"Previous drawing prompt (JSON): {_prompt_json(conv.previous_prompt)}\n"
                + _draw_task(conv, target)
                + "Decide the modality and give the reply (text) or the prompt changes (image)."
            )
            limits = current_limits()
            tokens = max(limits.tokens("chat"), limits.tokens("rewrite"))  # the reply or the prompt, in the same call
            if target:
                tokens = max(tokens, 2 * limits.tokens("rewrite"))  # the changes and the whole prompt again
            schema = TurnDrawOutput if target else TurnOutput
            out = self.structured(schema, [self.system("turn", draw_lang=target), self.task_message(conv, task)], max_tokens=tokens)
        else:
            out = self.structured(IntentOutput, [self.system(), self.task_message(conv, "Decide the modality.")])
        if out is None:
            return self._fallback(conv)
        decision = TurnDecision(modality=out.modality, confidence=out.confidence, source=self.name)
        if isinstance(out, TurnOutput):
            if out.modality == "text" and out.reply and out.reply.strip():
                decision.reply = out.reply.strip()
            elif out.modality == "image" and out.changes is not None:
                decision.prompt = apply_changes(conv.previous_prompt, out.changes, lang=conv.lang, request=conv.user, start_over=out.start_over)
                if target and (text := _draw_text(getattr(out, "draw_prompt", None))):
                    decision.draw_text, decision.draw_lang = text, target  # type: ignore[assignment]
        return decision

    def _fallback(self, conv: Conversation) -> TurnDecision:
        """The offline router's decision when it loads, else text with confidence 0."""
        try:
            from ..offline.router import default_router

            decision = default_router().decide(conv)
            decision.source = f"{decision.source or 'router'} (fallback: {self.name} output unparseable)"
            return decision
        except Exception:  # the router is optional here
            return TurnDecision(modality="text", confidence=0.0, source=f"fallback ({self.name} output unparseable)")


class LLMRewriter(_LLMRole):
    """The next drawing prompt, from the changes the model names."""

    prompt_name = "rewrite"
    role = "rewrite"

    @property
    def last_draw(self) -> Optional[tuple[str, str]]:
        """``(text, lang)``: the whole prompt of this thread's last :meth:`rewrite` in the T2I
        model's language, when it was asked for (``conv.draw_lang``) and given; else ``None``."""
        return getattr(self._local, "draw", None)

    def rewrite(self, conv: Conversation) -> DrawingPrompt:
        self._local.draw = None
        prev = conv.previous_prompt
        target = draw_target(conv)
        note = ""
        if prev is not None and prev.lang != conv.lang:
            note = f"The previous prompt is not in {_lang_name(conv.lang)}: give every part, in {_lang_name(conv.lang)}.\n"
        task = f"Previous drawing prompt (JSON): {_prompt_json(prev)}\n{_draw_task(conv, target)}{note}Give the changes."
        tokens = 2 * current_limits().tokens(self.role) if target else None  # the changes and the whole prompt again
        out = self.structured(PromptEditDraw if target else PromptEdit, [self.system(draw_lang=target), self.task_message(conv, task)], max_tokens=tokens)
        if out is None:
            return fallback_prompt(conv)
        if target and (text := _draw_text(getattr(out, "draw_prompt", None))):
            self._local.draw = (text, target)
        return apply_changes(prev, out.changes, lang=conv.lang, request=conv.user, start_over=out.start_over)


class LLMChat(_LLMRole):
    """A text reply, from the conversation in the model's own chat format."""

    prompt_name = "chat"
    role = "chat"

    def reply(self, conv: Conversation) -> str:
        messages: list[BaseMessage] = [SystemMessage(content=load_prompt("chat") + f"\n\nReply in {_lang_name(conv.lang)}.")]
        for role, text in history(conv):
            messages.append(HumanMessage(content=text) if role == "user" else AIMessage(content=text))
        block = image_block(conv.attachment) if (self.vision and conv.attachment) else None
        if block is not None:
            messages.append(HumanMessage(content=[{"type": "text", "text": conv.user}, block]))
        else:
            messages.append(HumanMessage(content=_img(conv.attachment) + conv.user))
        return self.text(messages)


class LLMCritic(_LLMRole):
    """The paper's three rules, judged by the model; few-shot examples in ``critic.md``."""

    prompt_name = "critic"
    role = "critic"

    def check(self, conv: Conversation, decision: TurnDecision) -> CriticVerdict:
        if decision.modality == "image":
            output = f"modality: image\ndrawing prompt (JSON): {_prompt_json(decision.prompt)}"
        else:
            output = f"modality: text\nreply: {decision.reply or '(empty)'}"
        target = draw_target(conv)
        task = (
            f"Previous drawing prompt (JSON): {_prompt_json(conv.previous_prompt)}\n\n"
            f"Assistant's output for the current message:\n{output}\n\nJudge it."
        )
        tokens = 2 * current_limits().tokens(self.role) if target else None  # a correction and the whole prompt again
        messages = [self.system(draw_lang=target, field="corrected_draw_prompt"), self.task_message(conv, task)]
        out = self.structured(CriticDrawOutput if target else CriticOutput, messages, max_tokens=tokens)
        if out is None:
            return CriticVerdict(ok=True, reason="critic output unparseable", critic=self.name)
        verdict = CriticVerdict(ok=out.ok, rule=None if out.ok else out.rule, reason=out.reason, critic=self.name)
        if out.ok:
            return verdict
        if out.corrected_modality and out.corrected_modality != decision.modality:
            verdict.corrected_modality = out.corrected_modality
        modality = verdict.corrected_modality or decision.modality
        if modality == "text" and out.corrected_reply and out.corrected_reply.strip():
            verdict.corrected_reply = out.corrected_reply.strip()
        if modality == "image" and out.corrected_changes is not None:
            base = decision.prompt if decision.modality == "image" else conv.previous_prompt
            verdict.corrected_prompt = apply_changes(base, out.corrected_changes, lang=conv.lang, request=conv.user)
            if target and (text := _draw_text(getattr(out, "corrected_draw_prompt", None))):
                verdict.corrected_draw_text, verdict.draw_lang = text, target  # type: ignore[assignment]
        return verdict


__all__ = [
    "LLMIntent",
    "LLMRewriter",
    "LLMChat",
    "LLMCritic",
    "PromptChanges",
    "PromptEdit",
    "IntentOutput",
    "TurnOutput",
    "TurnDrawOutput",
    "PromptEditDraw",
    "CriticOutput",
    "CriticDrawOutput",
    "draw_target",
    "system_prompt",
    "previous_draw_text",
    "apply_changes",
    "fallback_prompt",
    "history",
    "parse_json",
    "unavailable",
    "structured_mode",
    "forget_modes",
    "STATS",
    "OPENAI_MODES",
]
