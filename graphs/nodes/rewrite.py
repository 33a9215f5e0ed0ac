"""``rewrite``: write the drawing prompt, changing the previous one as little as the request allows.

When the T2I model is known to read another language than the conversation's, an LLM rewriter
(or the single-pass intent call) also writes the whole prompt in that language; it is kept in
the draft as ``llm_draw`` with the prompt text it was written for (the t2i node draws it only
while the prompt is unchanged)."""

from __future__ import annotations

from typing import Literal, Optional

from langgraph.runtime import Runtime
from langgraph.types import Command

from ...agent.context import Context
from ...agent.prompt import DrawingPrompt
from ...agent.schemas import Conversation
from ...agent.roles import Rewriter
from ...agent.state import State
from ..turn import add_notice, context_of, conversation, decision_of, role, single_pass_fills
from .t2i import for_drawing


NO_CAPTION_NOTICE = (
    "The attached picture has no caption, so the prompt cannot describe what is in it: "
    'attach it with /image PATH "caption", or configure a vision model with --rewrite hf:Qwen/Qwen2-VL-2B-Instruct.'
)


def write_prompt(conv: Conversation, draft: dict, prompt: DrawingPrompt, draw: Optional[tuple[str, str]] = None) -> dict:
    """The draft with the prompt, its rendered text and its diff against the thread's last
    prompt; with ``draw`` = ``(text, lang)``, the LLM's drawing text for this prompt. An
    earlier drawing text written for another prompt text is dropped (never drawn stale)."""
    previous = conv.previous_prompt
    text = prompt.render()
    out = {
        **draft,
        "modality": "image",
        "prompt": prompt.model_dump(mode="json"),
        "prompt_text": text,
        "prompt_diff": [c.model_dump() for c in prompt.diff(previous)],
    }
    old = out.pop("llm_draw", None)
    if draw is not None and draw[0]:
        out["llm_draw"] = {"text": draw[0], "lang": draw[1], "prompt_text": text}
    elif old and old.get("prompt_text") == text:
        out["llm_draw"] = old  # the same prompt written again: its drawing text still holds
    return out


def make_prompt(conv: Conversation, ctx: Context) -> DrawingPrompt:
    rewriter: Rewriter = role(ctx, "rewrite")
    return rewriter.rewrite(conv)


def last_draw(ctx: Context) -> Optional[tuple[str, str]]:
    """``(text, lang)`` the rewriter's last call wrote in the T2I model's language (LLM
    rewriters asked for it), else ``None``."""
    return getattr(role(ctx, "rewrite"), "last_draw", None)


def rewrite(state: State, runtime: Runtime[Context]) -> Command[Literal["critic", "t2i"]]:
    ctx = context_of(runtime)
    conv = for_drawing(conversation(state), ctx)
    decision = decision_of(state)
    if decision.prompt is not None and single_pass_fills(ctx, "rewrite"):
        prompt = decision.prompt  # the intent call already wrote it (single pass)
        draw = (decision.draw_text, decision.draw_lang) if decision.draw_text and decision.draw_lang else None
        rewriter_notice = None
    else:
        prompt = make_prompt(conv, ctx)
        draw = last_draw(ctx)
        rewriter_notice = getattr(role(ctx, "rewrite"), "last_notice", None)  # what the rewriter could not place
    draft = write_prompt(conv, state["draft"], prompt, draw)
    if rewriter_notice:
        add_notice(draft, rewriter_notice)
    attachment = draft.get("attachment")
    if attachment and not attachment.get("caption") and not getattr(role(ctx, "rewrite"), "vision", False):
        add_notice(draft, NO_CAPTION_NOTICE)
    return Command(goto="critic" if ctx.critic else "t2i", update={"draft": draft})


__all__ = ["rewrite", "write_prompt", "make_prompt", "last_draw", "NO_CAPTION_NOTICE"]
