"""``t2i``: draw the drawing prompt with the thread's seed, store the image by content hash.

Text-to-image for a new picture; image-to-image from the previous picture (or the attached
one) for an edit, where the pipeline supports it. Denoising progress is streamed as custom
events ``{"t2i": {"step": i, "total": n, "turn": k}}``. With no image model configured
(``t2i = "none"``) the turn keeps its drawing prompt and says once how to configure one.
"""

from __future__ import annotations

from typing import Literal, Optional

from langgraph.config import get_config
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command

from ...agent.context import Context
from ...agent.schemas import ImageRef
from ...agent.state import State
from ..turn import add_notice, context_of, conversation, finish

NO_T2I_NOTICE = (
    "No image model is configured, so this turn keeps only the drawing prompt: "
    "set --t2i diffusers:PATH_OR_HUB_ID (or DIALOGGEN_T2I) to draw pictures."
)


def t2i(state: State, runtime: Runtime[Context]) -> Command[Literal["__end__"]]:
    ctx = context_of(runtime)
    draft = dict(state["draft"])
    turns = state.get("turns") or []
    tool = None
    if ctx.t2i != "none":
        from ...tools.t2i import load_t2i

        tool = load_t2i(ctx.t2i)
    if tool is None:
        if not any(NO_T2I_NOTICE in (t.get("notice") or "") for t in turns):
            add_notice(draft, NO_T2I_NOTICE)
        return Command(goto=END, update=finish(draft))

    init = _init_image(state, draft) if tool.supports_img2img else None
    writer = runtime.stream_writer if runtime is not None else None
    turn = draft["turn"]

    def on_step(step: int, total: int) -> None:
        if writer is not None:
            writer({"t2i": {"step": step, "total": total, "turn": turn}})

    image = tool.generate(
        draft["prompt_text"],
        seed=draft["seed"],
        init_image=init["path"] if init else None,
        strength=ctx.img2img_strength,
        steps=ctx.steps,
        size=ctx.image_size,
        on_step=on_step,
    )
    notice = getattr(tool, "last_notice", None)
    if notice:
        add_notice(draft, notice)
    from ...tools.image_store import ImageStore

    thread_id = str(get_config().get("configurable", {}).get("thread_id", ""))
    draft["image"] = ImageStore(ctx.data_dir).save_generated(
        image, thread_id=thread_id, turn=turn, prompt=draft["prompt_text"], seed=draft["seed"], model=tool.name
    )
    return Command(goto=END, update=finish(draft))


def _init_image(state: State, draft: dict) -> Optional[ImageRef]:
    """The picture an edit starts from: the attached image, else the thread's last picture
    when the prompt was edited (not rewritten from scratch)."""
    attachment = draft.get("attachment")
    if attachment and attachment.get("path"):
        return attachment
    conv = conversation(state)
    previous = conv.previous_image
    if previous is None or conv.previous_prompt is None:
        return None
    parts_now = [p for p, v in (draft.get("prompt") or {}).items() if p != "lang" and v]
    changed = {c["part"] for c in draft.get("prompt_diff") or []}
    return previous if changed and len(changed) < len(parts_now) else None
