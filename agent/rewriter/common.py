"""Shared pieces of the offline rewriter: the ``Edit`` record, defaults, lexicon regexes
and small text helpers (time-of-day and shot lookups) used by both languages."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from . import lexicon as L
from .kinds import EDIT_KINDS, EditKind  # noqa: F401 (EDIT_KINDS re-exported)


DEFAULTS = {"en": {"shot": "a medium shot", "style": "realistic"}, "zh": {"shot": "中景", "style": "写实"}}




@dataclass(frozen=True)
class Edit:
    """One edit read from a request.

    ``target`` is the thing the user named ("" = the main subject); ``value`` the new entity,
    colour, material, object phrase, background, style, shot key or extras sentence;
    ``detail`` refines the kind: ``entity``/``colour``/``material`` for ``change_entity``,
    ``time`` for a time-of-day/weather background change, ``in``/``out`` for relative zoom.
    """

    kind: str
    target: str = ""
    value: str = ""
    detail: str = ""


def clean_spaces(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    return text.strip(" ,;")


def norm_en(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


def word_re(words: tuple[str, ...] | list[str]) -> str:
    return r"(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + r")"


# a colour, optionally after a modifier or another colour ("light blue", "navy blue", "emerald green")
COLOUR_RE = re.compile(r"\b(?:(?:" + "|".join(L.COLOUR_MODIFIERS_EN) + r"|" + word_re(L.COLOURS_EN)[3:-1] + r")[- ])?" + word_re(L.COLOURS_EN) + r"\b", re.I)


MATERIAL_RE = re.compile(r"\b" + word_re(L.MATERIALS_EN) + r"\b", re.I)


STYLE_RE = re.compile(r"(?<![\w-])" + word_re(L.STYLE_WORDS_EN) + r"(?![\w-])", re.I)


STYLE_ZH_RE = re.compile(word_re(L.STYLE_WORDS_ZH))


_GENERIC_STYLE_ZH = ("画风", "风格", "画法", "质感", "效果")


SPECIFIC_STYLE_ZH_RE = re.compile(word_re([w for w in L.STYLE_WORDS_ZH if w not in _GENERIC_STYLE_ZH]))


# a listed colour, a shade of one ("深红色", "藏蓝色", "淡紫色") or a bare colour character before 的
COLOUR_ZH_RE = re.compile(word_re(L.COLOURS_ZH) + r"|" + word_re(L.COLOUR_MODIFIERS_ZH) + r"[" + L.COLOUR_CHARS_ZH + r"]{1,2}色?"
                          + r"|[" + L.COLOUR_CHARS_ZH + r"](?:色)?(?=的|$)")


MATERIAL_ZH_RE = re.compile(word_re(L.MATERIALS_ZH))


STOP_EN = set(L.DETERMINERS_EN) | set(L.PREPOSITIONS_EN) | set(L.CONJUNCTIONS_EN) | set(L.VERBS_EN)


def article(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def strip_det(phrase: str) -> str:
    return re.sub(r"^(?:the|a|an|this|that|these|those|its|his|her|their|my|your|our|some)\s+", "", phrase.strip(), flags=re.I)


def time_of(text: str, lang: str) -> Optional[str]:
    for pattern, phrase in (L.TIMES_EN if lang == "en" else L.TIMES_ZH):
        if re.search(pattern, text, re.I):
            return phrase
    return None


def shot_of(text: str, lang: str) -> Optional[tuple[str, str]]:
    """``(key, detail)`` of a shot request; detail ``in``/``out`` for relative zooms."""
    if lang == "en":
        if re.search(L.ZOOM_IN_EN, text, re.I):
            return "close", "in"
        if re.search(L.ZOOM_OUT_EN, text, re.I):
            return "wide", "out"
        for pattern, key in L.SHOT_PATTERNS_EN:
            if re.search(pattern, text, re.I):
                return key, ""
        return None
    for pattern, key in L.SHOT_PATTERNS_ZH:
        if re.search(pattern, text):
            detail = "in" if key == "close" and re.search(r"拉近|推近|靠近|贴近|放大|近一[点些]", text) else ""
            detail = "out" if key == "wide" and re.search(r"拉远|远一[点些]|缩小|后退", text) else detail
            return key, detail
    return None


def with_referent(e: Edit, referent: Optional[str]) -> Edit:
    """``e`` with a pronoun target ("it", "它") replaced by the thing an earlier sentence named."""
    if referent and e.target.strip().lower() in ("it", "them", "this", "that", "它", "它们", "这个", "那个"):
        return replace(e, target=referent)
    return e


def shot_edit(key: str, detail: str) -> Edit:
    return Edit(EditKind.CHANGE_SHOT, value=key, detail=detail)


@dataclass(frozen=True)
class EditGuess:
    """The classifier's reading of a request: ``kind`` (an edit type or ``other``), ``detail``
    (``colour``/``material``/``entity``, ``time``/``place``, a shot key, or ""), its
    probability and the margin over the runner-up."""

    kind: str
    detail: str
    prob: float
    margin: float
