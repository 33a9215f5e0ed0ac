"""The four roles served by any langchain chat model (see :mod:`dialoggen.agent.llm.models`).

- :class:`LLMIntent`: text or image, with a confidence; with ``full_turn`` the same single
  call also writes the reply or the drawing prompt (the paper's single pass).
- :class:`LLMRewriter`: the model names only the prompt parts it changes; they are applied
  to the previous prompt, so every untouched part stays byte-identical.
- :class:`LLMChat`: a text reply.
- :class:`LLMCritic`: a structured verdict on the paper's three rules, with a correction.

Structured output goes through ``with_structured_output``; a model without it answers in
plain text and the JSON is parsed from that. Output that does not parse is asked for once
more, then a safe fallback is used: a role never crashes on bad output. An unreachable
model raises :class:`~dialoggen.agent.errors.ModelUnavailableError`.

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
from pathlib import Path
from typing import Any, Optional, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError, field_validator

from ...prompts import load_prompt
from ..errors import DialogGenError, ModelUnavailableError
from .models import describe, is_vision_model
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
def unavailable(name: str, model: Any, exc: BaseException) -> Optional[ModelUnavailableError]:
    """The one-sentence error for a model that cannot be used (network, key, server), or
    ``None`` when ``exc`` is not such a failure. Never includes a key."""
    from langchain_core import exceptions as lc

    where = describe(model) or "its server"
    try:
        import openai
    except ImportError:  # pragma: no cover - openai is a core dependency
        openai = None  # type: ignore[assignment]

    def isa(oa: str, lc_cls: Any) -> bool:
        return isinstance(exc, lc_cls) or (openai is not None and isinstance(exc, getattr(openai, oa)))

    if isinstance(exc, lc.ContextOverflowError):
        msg = f"The conversation is too long for {name}: start a new thread or use a model with a longer context."
    elif isa("APITimeoutError", lc.ModelTimeoutError):
        msg = f"The model {name} did not answer in time at {where}: check that the server is up and not overloaded, then try again."
    elif isa("APIConnectionError", lc.ModelConnectionError):
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
    """A 400 from a server that does not do ``response_format``/tools (then: plain JSON)."""
    try:
        import openai
    except ImportError:  # pragma: no cover
        return False
    from langchain_core.exceptions import ContextOverflowError

    return isinstance(exc, openai.BadRequestError) and not isinstance(exc, ContextOverflowError)


# ---------------------------------------------------------------- the roles
class _LLMRole:
    """What the four roles share: the model, structured calls with a retry, error mapping."""

    prompt_name = ""

    def __init__(self, model: BaseChatModel, *, name: str) -> None:
        self.model = model
        self.name = name
        self.vision = is_vision_model(model)
        self._plain = False  # True once the model proved it has no structured output
        self._runnables: dict[type, Any] = {}

    # -- messages
    def system(self, prompt_name: Optional[str] = None) -> SystemMessage:
        return SystemMessage(content=load_prompt(prompt_name or self.prompt_name))

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
    def _invoke(self, runnable: Any, messages: list[BaseMessage], *, structured: bool = False) -> Any:
        try:
            return runnable.invoke(messages)
        except DialogGenError:
            raise
        except Exception as exc:
            if structured and _structured_unsupported(exc):
                raise _NoStructuredOutput() from exc
            err = unavailable(self.name, self.model, exc)
            if err is None:
                first = (str(exc).splitlines() or [""])[0][:160]
                err = ModelUnavailableError(f"The model {self.name} failed ({type(exc).__name__}: {first}): check the model and try again.")
            raise err from exc

    def text(self, messages: list[BaseMessage]) -> str:
        """One plain call; the answer's text."""
        return _text_of(self._invoke(self.model, messages)).strip()

    def structured(self, schema: type[S], messages: list[BaseMessage]) -> Optional[S]:
        """One call returning ``schema``; an answer that does not parse is asked for once
        more (with the bad answer shown); ``None`` after two failures."""
        out, raw = self._structured_once(schema, messages)
        if out is not None:
            return out
        log.info("%s: output did not parse as %s; asking once more", self.name, schema.__name__)
        retry = [
            *messages,
            AIMessage(content=(raw or "(empty)")[:2000]),
            HumanMessage(content=f"That answer was not a valid JSON object of the form asked for ({schema.__name__}). Answer again with the JSON object only."),
        ]
        out, _ = self._structured_once(schema, retry)
        if out is None:
            log.warning("%s: output did not parse as %s twice; using the fallback", self.name, schema.__name__)
        return out

    def _structured_once(self, schema: type[S], messages: list[BaseMessage]) -> tuple[Optional[S], str]:
        if not self._plain:
            try:
                runnable = self._runnables.get(schema) or self.model.with_structured_output(schema, include_raw=True)
                self._runnables[schema] = runnable
            except NotImplementedError:
                self._plain = True
            else:
                try:
                    result = self._invoke(runnable, messages, structured=True)
                except _NoStructuredOutput:
                    log.info("%s: the server refused structured output; parsing JSON from text", self.name)
                    self._plain = True
                else:
                    return _from_structured(schema, result)
        ai = self._invoke(self.model, [*messages[:-1], _with_json_request(messages[-1], schema)])
        raw = _text_of(ai)
        return parse_json(schema, raw), raw


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

    def decide(self, conv: Conversation, *, full_turn: bool = False) -> TurnDecision:
        if full_turn:
            task = (
                f"Previous drawing prompt (JSON): {_prompt_json(conv.previous_prompt)}\n"
                "Decide the modality and give the reply (text) or the prompt changes (image)."
            )
            out = self.structured(TurnOutput, [self.system("turn"), self.task_message(conv, task)])
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

    def rewrite(self, conv: Conversation) -> DrawingPrompt:
        prev = conv.previous_prompt
        note = ""
        if prev is not None and prev.lang != conv.lang:
            note = f"The previous prompt is not in {_lang_name(conv.lang)}: give every part, in {_lang_name(conv.lang)}.\n"
        task = f"Previous drawing prompt (JSON): {_prompt_json(prev)}\n{note}Give the changes."
        out = self.structured(PromptEdit, [self.system(), self.task_message(conv, task)])
        if out is None:
            return fallback_prompt(conv)
        return apply_changes(prev, out.changes, lang=conv.lang, request=conv.user, start_over=out.start_over)


class LLMChat(_LLMRole):
    """A text reply, from the conversation in the model's own chat format."""

    prompt_name = "chat"

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

    def check(self, conv: Conversation, decision: TurnDecision) -> CriticVerdict:
        if decision.modality == "image":
            output = f"modality: image\ndrawing prompt (JSON): {_prompt_json(decision.prompt)}"
        else:
            output = f"modality: text\nreply: {decision.reply or '(empty)'}"
        task = (
            f"Previous drawing prompt (JSON): {_prompt_json(conv.previous_prompt)}\n\n"
            f"Assistant's output for the current message:\n{output}\n\nJudge it."
        )
        out = self.structured(CriticOutput, [self.system(), self.task_message(conv, task)])
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
    "CriticOutput",
    "apply_changes",
    "fallback_prompt",
    "history",
    "parse_json",
    "unavailable",
]
