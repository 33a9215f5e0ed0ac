"""The structured drawing prompt and its rendering to the text a T2I model favours.

A prompt has five parts: ``subject`` (subject and action), ``background``, ``shot``,
``style`` and ``extras`` (further sentences: added objects, lighting, ...). Each part is
rendered to its own sentence, so an edit that changes one part leaves every other
sentence byte-identical::

    A black steam train gallops along the tracks. The background is a forest in fog.
    The shot is a close-up. The style is realistic.

Chinese renders the same parts with Chinese sentence frames (``背景是……。``).
:meth:`DrawingPrompt.parse` is the one inverse of :meth:`DrawingPrompt.render`, used by the
critic, the rewriter (a picture's caption or PNG metadata) and the evals.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field

PARTS = ("subject", "background", "shot", "style", "extras")
#: The sentence frames of the framed parts, per language (matched case-insensitively).
FRAMES: dict[str, dict[str, str]] = {
    "en": {"background": "the background is ", "shot": "the shot is ", "style": "the style is "},
    "zh": {"background": "背景是", "shot": "镜头是", "style": "风格是"},
}
_SENTENCES = {"en": re.compile(r"(?<=[.!?])\s+"), "zh": re.compile(r"(?<=[。！？!?])")}
_FULL_STOP = {"en": ".", "zh": "。."}
Part = Literal["subject", "background", "shot", "style", "extras"]


def _sentence_en(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _sentence_zh(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return text if text[-1] in "。！？.!?" else text + "。"


class DrawingPrompt(BaseModel):
    """A drawing prompt in parts. Values are phrases, not sentences: ``background`` is
    ``"a forest in fog"``, rendered as ``"The background is a forest in fog."``."""

    subject: str = Field(description="The subject and its action, e.g. 'A black steam train gallops along the tracks'.")
    background: str = Field(default="", description="Where it is, e.g. 'a forest in fog'.")
    shot: str = Field(default="", description="Camera shot, e.g. 'a close-up', 'a wide shot'.")
    style: str = Field(default="", description="Visual style, e.g. 'realistic', 'watercolor'.")
    extras: list[str] = Field(default_factory=list, description="Further sentences: added objects, lighting, mood.")
    lang: Literal["en", "zh"] = "en"

    def sentences(self) -> dict[str, str]:
        """Each non-empty part rendered to its sentence, keyed by part name."""
        if self.lang == "zh":
            out = {
                "subject": _sentence_zh(self.subject),
                "background": _sentence_zh(f"背景是{self.background}") if self.background else "",
                "shot": _sentence_zh(f"镜头是{self.shot}") if self.shot else "",
                "style": _sentence_zh(f"风格是{self.style}") if self.style else "",
                "extras": "".join(_sentence_zh(e) for e in self.extras if e.strip()),
            }
        else:
            out = {
                "subject": _sentence_en(self.subject),
                "background": _sentence_en(f"The background is {self.background}") if self.background else "",
                "shot": _sentence_en(f"The shot is {self.shot}") if self.shot else "",
                "style": _sentence_en(f"The style is {self.style}") if self.style else "",
                "extras": " ".join(_sentence_en(e) for e in self.extras if e.strip()),
            }
        return out

    @classmethod
    def parse(cls, text: str, lang: str = "en") -> "DrawingPrompt":
        """The parts of a rendered prompt: the inverse of :meth:`render`
        (``DrawingPrompt.parse(p.render(), p.lang) == p``). Framed sentences ("The style is
        ...") fill their part (the first of each), the first other sentence is the subject and
        any further one an extra. A free-form prompt becomes subject + extras."""
        lang = "zh" if lang == "zh" else "en"
        text = " ".join((text or "").split())
        frames = FRAMES[lang]
        fields: dict[str, Any] = {"subject": "", "extras": []}
        for sentence in _SENTENCES[lang].split(text):
            body = sentence.strip().rstrip(_FULL_STOP[lang]).strip()
            if not body:
                continue
            low = body.lower()
            for part, frame in frames.items():
                if low.startswith(frame) and part not in fields:
                    fields[part] = body[len(frame) :].strip()
                    break
            else:
                if not fields["subject"]:
                    fields["subject"] = body
                else:
                    fields["extras"].append(body)
        return cls(lang=lang, **fields)

    def framed_parts(self) -> int:
        """How many of background, shot and style are set (a parsed reply with none is
        probably not a drawing prompt)."""
        return sum(1 for part in FRAMES["en"] if getattr(self, part))

    def render(self) -> str:
        """The text given to the T2I model; parts in a fixed order."""
        sep = "" if self.lang == "zh" else " "
        return sep.join(s for p in ("subject", "extras", "background", "shot", "style") if (s := self.sentences()[p]))

    def diff(self, previous: "DrawingPrompt | None") -> list["PartChange"]:
        """The parts that differ from ``previous`` (every non-empty part when there is none)."""
        changes: list[PartChange] = []
        for part in PARTS:
            after = getattr(self, part)
            before = getattr(previous, part) if previous is not None else ([] if part == "extras" else "")
            if after != before:
                changes.append(PartChange(part=part, before=_as_text(before), after=_as_text(after)))
        return changes


class PartChange(BaseModel):
    part: Part
    before: str
    after: str


def _as_text(value: str | list[str]) -> str:
    return " | ".join(value) if isinstance(value, list) else value
