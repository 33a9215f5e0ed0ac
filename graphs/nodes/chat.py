"""``chat``: answer in words."""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command

from ...agent.context import Context
from ...agent.schemas import Conversation
from ...agent.roles import ChatModel
from ...agent.state import State
from ..turn import context_of, conversation, decision_of, finish, role, single_pass_fills


def make_reply(conv: Conversation, ctx: Context) -> str:
    model: ChatModel = role(ctx, "chat")
    return model.reply(conv)


def chat(state: State, runtime: Runtime[Context]) -> Command[Literal["critic", "__end__"]]:
    ctx = context_of(runtime)
    conv = conversation(state)
    decision = decision_of(state)
    if decision.reply is not None and single_pass_fills(ctx, "chat"):
        reply = decision.reply  # the intent call already wrote it (single pass)
    else:
        reply = make_reply(conv, ctx)
    draft = {**state["draft"], "modality": "text", "reply": reply}
    if ctx.critic:
        return Command(goto="critic", update={"draft": draft})
    return Command(goto=END, update=finish(draft))
