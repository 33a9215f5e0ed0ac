"""``rewrite``: write the drawing prompt, changing the previous one as little as the request allows."""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from ...agent.context import Context
from ...agent.prompt import DrawingPrompt
from ...agent.schemas import Conversation
from ...agent.roles import Rewriter
from ...agent.state import State
from ..turn import add_notice, context_of, conversation, decision_of, role, single_pass_fills


NO_CAPTION_NOTICE = (
    "The attached picture has no caption, so the prompt cannot describe what is in it: "
    'attach it with /image PATH "caption", or configure a vision model with --rewrite hf:Qwen/Qwen2-VL-2B-Instruct.'
)


def write_prompt(conv: Conversation, draft: dict, prompt: DrawingPrompt) -> dict:
    """The draft with the prompt, its rendered text and its diff against the thread's last prompt."""
    previous = conv.previous_prompt
    return {
        **draft,
        "modality": "image",
        "prompt": prompt.model_dump(mode="json"),
        "prompt_text": prompt.render(),
        "prompt_diff": [c.model_dump() for c in prompt.diff(previous)],
    }


def make_prompt(conv: Conversation, ctx: Context) -> DrawingPrompt:
    rewriter: Rewriter = role(ctx, "rewrite")
    return rewriter.rewrite(conv)


def rewrite(state: State, runtime: Runtime[Context]) -> Command[Literal["critic", "t2i"]]:
    ctx = context_of(runtime)
    conv = conversation(state)
    decision = decision_of(state)
    if decision.prompt is not None and single_pass_fills(ctx, "rewrite"):
        prompt = decision.prompt  # the intent call already wrote it (single pass)
        rewriter_notice = None
    else:
        prompt = make_prompt(conv, ctx)
        rewriter_notice = getattr(role(ctx, "rewrite"), "last_notice", None)  # what the rewriter could not place
    draft = write_prompt(conv, state["draft"], prompt)
    if rewriter_notice:
        add_notice(draft, rewriter_notice)
    attachment = draft.get("attachment")
    if attachment and not attachment.get("caption") and not getattr(role(ctx, "rewrite"), "vision", False):
        add_notice(draft, NO_CAPTION_NOTICE)
    return Command(goto="critic" if ctx.critic else "t2i", update={"draft": draft})


__all__ = ["rewrite", "write_prompt", "make_prompt", "NO_CAPTION_NOTICE"]
