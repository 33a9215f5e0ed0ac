"""The offline drawing-prompt rewriter: rules, no model, English and Chinese.

``RuleRewriter.rewrite(conv)`` turns the user's request into the next
:class:`~dialoggen.agent.prompt.DrawingPrompt`:

- *new picture* (no previous prompt, or the request clearly starts over): the request's
  content without its wrapper ("can you draw me ...", "帮我生成一张……") becomes the subject;
  background, shot and style come from what the user said, with defaults a T2I model likes
  (``a medium shot`` / ``realistic``; ``中景`` / ``写实``).
- *edit*: the request is read as one or more edits of seven types (change an entity or its
  colour/material, add an object, remove an object, change the background, the style, the
  shot, combine two pictures). Only the parts an edit touches change; every other part is the
  very same string (object consistency). When the rules cannot read a request (or keep request
  wording in a value), a learned classifier over multilingual sentence embeddings names the
  edit type and its arguments are extracted from the request; a request neither understands
  is kept as one more ``extras`` sentence, so nothing the user asked for is lost and nothing
  else moves.

The starting point of an edit is the thread's previous prompt; when the user attaches a
picture that is not the thread's latest one, its caption (parsed back into parts when it is
a rendered prompt) is the starting point instead.

Modules: this one holds the role and the ``classify`` dispatch; ``rewrite_common`` the
``Edit`` record, defaults and lexicon regexes; ``rewrite_nouns`` noun-phrase spans and where
a named thing lives; ``rewrite_en`` / ``rewrite_zh`` request parsing; ``rewrite_apply``
applying edits; ``rewrite_new`` new prompts and captions; ``rewrite_lexicon`` word lists;
``classifier`` the learned edit classifier (``classifier_head.npz``) and ``extract``
its value extraction.
"""

from __future__ import annotations

import threading
from typing import Optional

from ..prompt import DrawingPrompt
from .apply import apply_edit, apply_edits
from .common import DEFAULTS, Edit
from .kinds import EDIT_KINDS
from .en import classify_en
from .phrasing import edit_prompt
from .new import new_prompt, prompt_from_caption, starts_anew, starts_over
from .classifier import refine
from .zh import classify_zh
from ..schemas import Conversation
from .kinds import EditKind

__all__ = ["DEFAULTS", "EDIT_KINDS", "Edit", "RuleRewriter", "apply_edit", "apply_edits", "classify", "new_prompt", "prompt_from_caption", "starts_over"]

#: Said when a request is read as a new picture only because it describes one and names
#: nothing of the last picture (``starts_anew`` = "described").
NEW_PICTURE_NOTICE = {
    "en": "Read as a new picture, since it names nothing in the last one; to change the last picture instead, say what to change (\"add ...\", \"make it ...\").",
    "zh": "这句话描述了新的画面、没有提到上一张图里的内容，所以按新图来画；如果是想修改上一张，请说明要改什么（例如“加上……”“把……改成……”）。",
}


class RuleRewriter:
    """The offline ``rewrite`` role: deterministic rules backed by a learned edit classifier
    (consulted only when the rules are unsure; its embedder loads once, lazily; timings in
    docs/RESULTS.md)."""

    name = "offline"
    _local = threading.local()  # per thread: concurrent sessions share one role instance

    @property
    def last_notice(self) -> Optional[str]:
        """One plain sentence about this thread's last rewrite when part of the request could
        not be placed (the graph's rewrite node adds it to the turn's notice); ``None`` when
        all was placed."""
        return getattr(self._local, "notice", None)

    @last_notice.setter
    def last_notice(self, value: Optional[str]) -> None:
        self._local.notice = value

    def rewrite(self, conv: Conversation) -> DrawingPrompt:
        self.last_notice = None
        lang = conv.lang
        caption = (conv.attachment or {}).get("caption") if conv.attachment else None
        previous = conv.previous_prompt
        base: Optional[DrawingPrompt] = previous
        other: Optional[str] = None  # second picture for a combine
        if caption:
            if previous is None:
                earlier = _earlier_caption(conv)
                base = prompt_from_caption(earlier if earlier else caption, lang)
                other = caption if earlier else None
            elif not _is_previous_image(conv):
                other = caption
        if base is None:
            return new_prompt(conv.user, lang)
        edits = classify(conv.user, lang, base, has_second_source=True) if other is not None else []
        combines = any(e.kind == EditKind.COMBINE_IMAGES for e in edits)
        anew = starts_anew(conv.user, lang, previous) if previous is not None and not combines else None  # "make one image out of both" combines
        if anew is not None:
            if anew == "described":  # a guess from the request's shape: say so, and how to edit instead
                self.last_notice = NEW_PICTURE_NOTICE[lang]
            return new_prompt(conv.user, lang)
        if other is not None and previous is not None and not combines:
            # an attached new picture that the request edits (not combines) is the starting point
            base = prompt_from_caption(other, lang)
            previous = None
        if other is None and not combines:
            out, self.last_notice = edit_prompt(base, conv.user, lang, _classify_plain, apply_edit)
        else:
            out = apply_edits(base, edits, other_caption=other)
        if previous is None:  # a caption was the starting point: fill what a T2I model likes
            fill = {k: v for k, v in DEFAULTS[lang].items() if not getattr(out, k)}
            out = out.model_copy(update=fill) if fill else out
        return out

    def edit(self, prompt: DrawingPrompt, request: str, *, attachment_caption: Optional[str] = None) -> DrawingPrompt:
        """Apply ``request`` to ``prompt`` (the role's core, without a conversation)."""
        if attachment_caption is None:
            out, self.last_notice = edit_prompt(prompt, request, prompt.lang, _classify_plain, apply_edit)
            return out
        edits = classify(request, prompt.lang, prompt, has_second_source=True)
        return apply_edits(prompt, edits, other_caption=attachment_caption)


def _classify_plain(request: str, lang: str, prompt: DrawingPrompt) -> list[Edit]:
    return classify(request, lang, prompt)


def _earlier_caption(conv: Conversation) -> Optional[str]:
    """The caption of a picture attached earlier in the thread (for combining two captions)."""
    for t in reversed(conv.turns):
        att = t.get("attachment")
        if att and att.get("caption"):
            return att["caption"]
    return None


def _is_previous_image(conv: Conversation) -> bool:
    prev_img = conv.previous_image
    return bool(prev_img and conv.attachment and prev_img.get("sha256") == conv.attachment.get("sha256"))


def classify(request: str, lang: str, prompt: Optional[DrawingPrompt] = None, *, has_second_source: bool = False) -> list[Edit]:
    """The edits ``request`` asks of ``prompt`` (in order); a fallback ``extras`` edit when
    neither a rule nor the learned classifier (:mod:`~dialoggen.agent.rewriter.classifier`, used
    when the rules fall back or disagree with a confident guess) reads it; ``[]`` for an
    empty request."""
    prompt = prompt or DrawingPrompt(subject="", lang=lang)  # type: ignore[arg-type]
    edits = classify_zh(request, prompt, has_second_source) if lang == "zh" else classify_en(request, prompt, has_second_source)
    return refine(request, lang, prompt, edits, has_second_source)
