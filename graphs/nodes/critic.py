"""``critic`` (optional): check the turn against the paper's three rules and correct it once.

Rules: (1) the right intent/modality, (2) a coherent reply for text, (3) a descriptive
drawing prompt for an image. A corrected output replaces the original; the verdict is
kept in the turn's record. At most one correction a turn: the corrected output is not
judged again.
"""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command

from ...agent.context import Context
from ...agent.prompt import DrawingPrompt
from ...agent.roles import Critic
from ...agent.schemas import CriticVerdict, TurnDecision
from ...agent.state import State
from ..turn import add_notice, context_of, conversation, finish, role
from .chat import make_reply
from .rewrite import last_draw, make_prompt, write_prompt
from .t2i import for_drawing


def critic(state: State, runtime: Runtime[Context]) -> Command[Literal["t2i", "__end__"]]:
    ctx = context_of(runtime)
    conv = for_drawing(conversation(state), ctx)
    draft = dict(state["draft"])
    prompt = DrawingPrompt.model_validate(draft["prompt"]) if draft.get("prompt") else None
    decision = TurnDecision(
        modality=draft["modality"],
        confidence=draft.get("confidence", 1.0),
        reply=draft.get("reply"),
        prompt=prompt,
        source=draft.get("decided_by", ""),
    )
    judge: Critic = role(ctx, "critic", ctx.critic)
    verdict: CriticVerdict = judge.check(conv, decision)
    fallback_notice = getattr(judge, "last_notice", None)  # an LLM critic whose verdict did not parse
    if not verdict.critic:
        verdict.critic = ctx.critic or judge.name
    draft["critic"] = verdict.model_dump(mode="json")
    if not verdict.ok:
        draft = _corrected(draft, verdict, conv, ctx, prompt)
    if fallback_notice:
        add_notice(draft, fallback_notice)
    reply_id = draft.pop("reply_id", None)
    if draft["modality"] == "image":
        return Command(goto="t2i", update={"draft": draft})
    update = finish(draft)
    if reply_id and draft.get("reply") == decision.reply:
        update["messages"][0].id = reply_id  # the streamed reply, kept: not a second message
    return Command(goto=END, update=update)


def _corrected(draft: dict, verdict: CriticVerdict, conv, ctx: Context, prompt: DrawingPrompt | None) -> dict:
    modality = verdict.corrected_modality or draft["modality"]
    if modality != draft["modality"]:
        draft["confidence"] = round(1.0 - float(draft.get("confidence", 0.5)), 4)
    if modality == "image":
        # a new prompt brings its own drawing text or none: write_prompt drops a stale one
        draw = (verdict.corrected_draw_text, verdict.draw_lang) if verdict.corrected_draw_text and verdict.draw_lang else None
        if verdict.corrected_prompt is not None:
            new_prompt = verdict.corrected_prompt
        elif draft["modality"] == "image" and prompt:
            new_prompt, draw = prompt, None
        else:
            new_prompt = make_prompt(conv, ctx)
            draw = last_draw(ctx)
        return write_prompt(conv, {**draft, "reply": None}, new_prompt, draw)  # type: ignore[arg-type]
    reply = verdict.corrected_reply or (draft.get("reply") if draft["modality"] == "text" and draft.get("reply") else make_reply(conv, ctx))
    draft.pop("llm_draw", None)
    return {**draft, "modality": "text", "reply": reply, "prompt": None, "prompt_text": None, "prompt_diff": []}
