"""``t2i``: draw the drawing prompt with the thread's seed, store the image by content hash.

Text-to-image for a new picture; image-to-image from the previous picture (or the attached
one) for an edit, where the pipeline supports it. The model draws from the prompt rendered in
the language it reads (``prompt_lang``): the text an LLM role wrote in that language in the
same call when it is there and fits (``draft["llm_draw"]``, see :func:`known_drawing_lang`),
else the offline zh<->en translation of the structured parts; the turn keeps the prompt in the
conversation's language too and records which path drew (``draw_source``). Denoising progress is streamed as custom
events ``{"t2i": {"step": i, "total": n, "turn": k}}``. With no image model configured
(``t2i = "none"``) the turn keeps its drawing prompt and says once how to configure one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Literal, Optional

from langgraph.config import get_config
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command

from ...agent.context import Context
from ...agent.prompt import DrawingPrompt
from ...agent.schemas import Conversation, ImageRef
from ...agent.state import State
from ..turn import add_notice, context_of, conversation, finish

NO_T2I_NOTICE = (
    "No image model is configured, so this turn keeps only the drawing prompt: "
    "set --t2i diffusers:PATH_OR_HUB_ID (or DIALOGGEN_T2I) to draw pictures."
)
#: Said when the LLM's drawing text does not fit its language (and the offline one is used).
LLM_DRAW_UNFIT_NOTICE = "The model's {lang} drawing text was not in {lang}, so the prompt was translated offline instead."
#: The longest drawing text taken from an LLM (a runaway answer is not drawn).
MAX_DRAW_CHARS = 2000

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LATIN = re.compile(r"[A-Za-z]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def t2i(state: State, runtime: Runtime[Context]) -> Command[Literal["__end__"]]:
    ctx = context_of(runtime)
    draft = dict(state["draft"])
    turns = state.get("turns") or []
    tool = None
    if ctx.t2i != "none":
        from ...tools.t2i import load_t2i

        tool = load_t2i(ctx.t2i)
    _set_drawing_text(draft, ctx, tool)
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
        draft["draw_text"],
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
    from ...tools.t2i import public_name

    thread_id = str(get_config().get("configurable", {}).get("thread_id", ""))
    draft["image"] = ImageStore(ctx.data_dir).save_generated(
        image, thread_id=thread_id, turn=turn, prompt=draft["prompt_text"], seed=draft["seed"], model=public_name(tool.name),
        draw_text=draft["draw_text"],
    )
    return Command(goto=END, update=finish(draft))


def drawing_lang(ctx: Context, tool: Any, conversation_lang: str) -> str:
    """The language the T2I model draws from: ``prompt_lang`` when set; with ``auto``, the
    conversation's language when the model reads it (or no model is configured, or the tool
    does not say), else the model's first language."""
    if ctx.prompt_lang in ("en", "zh"):
        return ctx.prompt_lang
    return _pick(getattr(tool, "langs", None) if tool is not None else None, conversation_lang)


def _pick(langs: Any, conversation_lang: str) -> str:
    if not langs or conversation_lang in langs:
        return conversation_lang
    return langs[0]


def known_drawing_lang(ctx: Context, conversation_lang: str) -> Optional[str]:
    """:func:`drawing_lang` as far as it is known before this node loads anything (the
    single-pass and rewrite steps ask, so that an LLM writes the drawing text in that language
    in the same call): ``prompt_lang`` when set; with ``auto``, the conversation's language in
    prompt-only mode, else the languages the T2I tool knows without loading the pipeline
    (:func:`~dialoggen.tools.t2i.known_langs`); ``None`` when unknown (then the offline
    translation does it)."""
    if ctx.prompt_lang in ("en", "zh"):
        return ctx.prompt_lang
    if (ctx.t2i or "none").strip().lower() == "none":
        return conversation_lang
    from ...tools.t2i import known_langs

    langs = known_langs(ctx.t2i)
    return _pick(langs, conversation_lang) if langs is not None else None


def for_drawing(conv: Conversation, ctx: Context) -> Conversation:
    """``conv`` with ``draw_lang`` set when the T2I model is known to read another language
    than the conversation's (an LLM role then also writes the drawing text in it)."""
    target = known_drawing_lang(ctx, conv.lang)
    return replace(conv, draw_lang=target) if target and target != conv.lang else conv  # type: ignore[arg-type]


def fits_lang(text: str, lang: str) -> bool:
    """Whether an LLM's drawing text can be drawn as ``lang``: English has letters and no CJK
    character (punctuation included); Chinese has Chinese characters. Never empty or runaway."""
    text = (text or "").strip()
    if not text or len(text) > MAX_DRAW_CHARS:
        return False
    if lang == "zh":
        return bool(_HAN.search(text))
    return bool(_LATIN.search(text)) and not _CJK.search(text)


def _set_drawing_text(draft: dict, ctx: Context, tool: Any) -> None:
    """Fill ``draw_text``/``draw_lang``/``draw_source``: the prompt in the model's language.
    The structured prompt stays in the conversation's language (what the user sees and
    edits). In another language: the LLM's own text (``draft["llm_draw"]``, written in the
    same call) when it was written for this very prompt text and language and fits that
    language, else the offline translation (said in the notice when the LLM's text did not fit)."""
    prompt = DrawingPrompt.model_validate(draft["prompt"])
    target = drawing_lang(ctx, tool, prompt.lang)
    llm = draft.pop("llm_draw", None)  # scratch: never kept in the record
    draft["draw_lang"] = target
    if target == prompt.lang:
        draft["draw_text"], draft["draw_source"] = draft["prompt_text"], "prompt"
        return
    if llm and llm.get("lang") == target and llm.get("prompt_text") == draft["prompt_text"]:  # not stale
        if fits_lang(llm.get("text") or "", target):
            draft["draw_text"], draft["draw_source"] = llm["text"].strip(), "llm"
            return
        add_notice(draft, LLM_DRAW_UNFIT_NOTICE.format(lang="Chinese" if target == "zh" else "English"))
    from ...agent.offline.translate import translate_prompt

    result = translate_prompt(prompt, target)  # type: ignore[arg-type]
    draft["draw_text"], draft["draw_source"] = result.prompt.render(), "offline"
    if result.notice:
        add_notice(draft, result.notice)


def _init_image(state: State, draft: dict) -> Optional[ImageRef]:
    """The picture an edit starts from: the attached image; else the thread's last picture
    when the request edits it. A request for a new drawing starts from noise, however many
    prompt parts it happens to share with the previous one."""
    attachment = draft.get("attachment")
    if attachment and attachment.get("path"):
        return attachment
    conv = conversation(state)
    previous = conv.previous_image
    if previous is None or conv.previous_prompt is None:
        return None
    return None if asks_for_new_picture(conv) else previous


def asks_for_new_picture(conv: Conversation) -> bool:
    """Whether the request asks for a new, unrelated picture rather than a change to the last
    one (the offline rewriter's reading of the request, whichever model wrote the prompt)."""
    from ...agent.rewriter.new import starts_anew

    return conv.previous_prompt is None or starts_anew(conv.user, conv.lang, conv.previous_prompt) is not None
