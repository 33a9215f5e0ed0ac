"""``intent``: decide the output modality of this turn (the paper's modality switching)."""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from ...agent.context import Context
from ...agent.lang import detect_lang
from ...agent.roles import IntentModel
from ...agent.state import State
from ..turn import add_notice, context_of, conversation, role, single_pass_fills, user_text, validate_user_text
from .t2i import for_drawing


def intent(state: State, runtime: Runtime[Context]) -> Command[Literal["rewrite", "chat"]]:
    """Validate the user turn, open its record, and route to ``rewrite`` (image) or ``chat`` (text).

    With an LLM serving intent and rewrite (or chat), the one structured call here also
    returns the drawing prompt (or reply), so the turn costs one model call.
    """
    ctx = context_of(runtime)
    text = validate_user_text(user_text(state.get("messages") or []), ctx)
    turns = state.get("turns") or []
    seed = state.get("seed")
    if seed is None:
        seed = ctx.default_seed
    draft = {
        "turn": len(turns) + 1,
        "user": text,
        "lang": detect_lang(text),
        "attachment": state.get("attachment"),
        "seed": int(seed),
        "reply": None,
        "prompt": None,
        "prompt_text": None,
        "prompt_diff": [],
        "image": None,
        "critic": None,
        "notice": None,
    }
    conv = conversation({**state, "draft": draft})
    model: IntentModel = role(ctx, "intent")
    full_turn = ctx.intent != "offline" and ctx.intent in (ctx.rewrite, ctx.chat)
    if full_turn and single_pass_fills(ctx, "rewrite"):
        conv = for_drawing(conv, ctx)  # the same call writes the drawing text in the T2I model's language
    decision = _router_shortcut(conv, ctx) if not full_turn else None
    if decision is None:
        decision = model.decide(conv, full_turn=full_turn)
        fallback_notice = getattr(model, "last_notice", None)  # an LLM whose answer did not parse
        if fallback_notice:
            add_notice(draft, fallback_notice)
    draft.update(modality=decision.modality, confidence=float(decision.confidence), decided_by=decision.source or model.name)
    unsure = getattr(model, "unsure", None)
    if unsure is not None and unsure(decision):
        # abstain offline: the router still answers, and the record says it was unsure
        from ...agent.offline.router import low_confidence_notice

        draft["decided_by"] = f"{draft['decided_by']} (unsure)"
        add_notice(draft, low_confidence_notice(decision))
    return Command(
        goto="rewrite" if decision.modality == "image" else "chat",
        update={"decision": decision.model_dump(mode="json"), "draft": draft, "seed": int(seed)},
    )


def _router_shortcut(conv, ctx: Context):
    """The offline router's decision when an LLM serves intent and the router is confident
    enough (``Context.router_shortcut``): one model call saved."""
    if ctx.router_shortcut is None or ctx.intent == "offline":
        return None
    decision = role(ctx, "intent", "offline").decide(conv)
    return decision if decision.confidence >= ctx.router_shortcut else None
