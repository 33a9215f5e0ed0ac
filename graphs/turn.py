"""Shared pieces of a turn: the :class:`Conversation` a role sees, which specs a node
uses, and the final update that records a finished turn."""

from __future__ import annotations

from typing import Any, Optional

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.runtime import Runtime

from ..agent.context import Context
from ..agent.errors import InputError
from ..agent.lang import detect_lang
from ..agent.schemas import Conversation
from ..agent.roles import resolve
from ..agent.schemas import TurnDecision, TurnRecord
from ..agent.state import State


def context_of(runtime: Runtime[Context] | None) -> Context:
    ctx = runtime.context if runtime is not None else None
    return ctx if isinstance(ctx, Context) else Context()


def user_text(messages: list[AnyMessage]) -> str:
    """The current user message: the last human message's text."""
    for msg in reversed(messages):
        if isinstance(msg, HumanMessage):
            content = msg.content
            if isinstance(content, str):
                return content
            return " ".join(b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text")
    return ""


def validate_user_text(text: str, ctx: Context) -> str:
    text = text.strip()
    if not text:
        raise InputError("The message is empty: type what you want to say or draw.")
    if len(text) > ctx.max_input_chars:
        raise InputError(f"The message is {len(text)} characters long; the limit is {ctx.max_input_chars}: shorten it.")
    return text


def conversation(state: State) -> Conversation:
    """The thread as the roles see it, for the turn in progress."""
    messages = list(state.get("messages") or [])
    text = user_text(messages)
    draft = state.get("draft") or {}
    return Conversation(
        user=draft.get("user", text),
        lang=draft.get("lang") or detect_lang(text),
        messages=messages,
        turns=list(state.get("turns") or []),
        attachment=draft.get("attachment", state.get("attachment")),
    )


def role(ctx: Context, name: str, spec: Optional[str] = None) -> Any:
    return resolve(name, spec if spec is not None else getattr(ctx, name), openai_base_url=ctx.openai_base_url)


def decision_of(state: State) -> TurnDecision:
    return TurnDecision.model_validate(state.get("decision") or {"modality": "text"})


def single_pass_fills(ctx: Context, role_name: str) -> bool:
    """Whether the intent call already produced this role's output (one model call a turn)."""
    return ctx.intent != "offline" and getattr(ctx, role_name) == ctx.intent


def add_notice(draft: dict, text: str) -> None:
    """Add a sentence to the turn's notice (notices from several nodes accumulate)."""
    draft["notice"] = f"{draft['notice']} {text}" if draft.get("notice") else text


def finish(draft: dict, *, goto_end: bool = True) -> dict:
    """The state update that closes a turn: the assistant message, the turn record, and
    scratch values cleared. Image turns answer with the drawing prompt (the paper's
    convention); the image itself is only referenced."""
    record: TurnRecord = {k: v for k, v in draft.items()}  # type: ignore[assignment]
    if record["modality"] == "image":
        content = record.get("prompt_text") or ""
        meta = {"modality": "image", "image": record.get("image"), "turn": record["turn"]}
    else:
        content = record.get("reply") or ""
        meta = {"modality": "text", "turn": record["turn"]}
    return {
        "messages": [AIMessage(content=content, additional_kwargs={"dialoggen": meta})],
        "turns": [record],
        "last_turn": record,
        "decision": None,
        "draft": None,
        "attachment": None,
    }
