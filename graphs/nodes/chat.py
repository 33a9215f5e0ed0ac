"""``chat``: answer in words.

The reply's tokens reach LangGraph's ``messages`` stream mode through the chat model's
callbacks (the offline SmolLM2 runs as a LangChain chat model too); the turn's final
message reuses the streamed message's id, so a ``messages`` consumer gets the reply once.
While a local model loads and writes, the node emits ``{"status": ...}`` custom events.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Literal, Optional

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.tracers.context import register_configure_hook
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command

from ...agent.context import Context
from ...agent.schemas import Conversation
from ...agent.roles import ChatModel
from ...agent.state import State
from ..turn import context_of, conversation, decision_of, finish, role, single_pass_fills

STATUS_LOADING = "loading chat model"
STATUS_WRITING = "writing reply"


class _LastMessageId(BaseCallbackHandler):
    """Remembers the id of the last message a chat model produced during the reply."""

    def __init__(self) -> None:
        self.id: Optional[str] = None

    def on_llm_end(self, response: Any, **kwargs: Any) -> None:
        generations = getattr(response, "generations", None) or []
        if generations and generations[0]:
            message = getattr(generations[0][0], "message", None)
            if message is not None and message.id:
                self.id = message.id


_reply_ids: ContextVar[Optional[_LastMessageId]] = ContextVar("dialoggen_reply_ids", default=None)
register_configure_hook(_reply_ids, inheritable=True)


def _status(runtime: Optional[Runtime], text: str) -> None:
    writer = getattr(runtime, "stream_writer", None)
    if writer is not None:
        writer({"status": text})


def make_reply(conv: Conversation, ctx: Context) -> str:
    """The chat role's reply to ``conv`` (the critic asks for one after a modality switch)."""
    return reply_with_id(conv, ctx)[0]


def reply_with_id(conv: Conversation, ctx: Context, runtime: Optional[Runtime] = None) -> tuple[str, Optional[str]]:
    """The reply and the id of the chat model's message (None when no model wrote it)."""
    model: ChatModel = role(ctx, "chat")
    configure = getattr(model, "configure", None)
    if configure is not None:
        configure(threads=ctx.chat_threads)
    if getattr(model, "loaded", True) is False and getattr(model, "cannot_serve", lambda c: None)(conv) is None:
        _status(runtime, STATUS_LOADING)
    _status(runtime, STATUS_WRITING)
    ids = _LastMessageId()
    token = _reply_ids.set(ids)
    try:
        reply = model.reply(conv)
    finally:
        _reply_ids.reset(token)
    return reply, ids.id


def chat(state: State, runtime: Runtime[Context]) -> Command[Literal["critic", "__end__"]]:
    ctx = context_of(runtime)
    conv = conversation(state)
    decision = decision_of(state)
    message_id = None
    if decision.reply is not None and single_pass_fills(ctx, "chat"):
        reply = decision.reply  # the intent call already wrote it (single pass)
    else:
        reply, message_id = reply_with_id(conv, ctx, runtime)
    draft = {**state["draft"], "modality": "text", "reply": reply}
    if ctx.critic:
        # the critic ends the turn: it reuses this id when it keeps the reply, so a
        # ``messages`` consumer still gets the reply once
        return Command(goto="critic", update={"draft": {**draft, "reply_id": message_id}})
    update = finish(draft)
    if message_id:
        update["messages"][0].id = message_id  # the streamed message, not a second one
    return Command(goto=END, update=update)
