"""The structured drawing prompt and its rendering to the text a T2I model favours.

A prompt has five parts: ``subject`` (subject and action), ``background``, ``shot``,
``style`` and ``extras`` (further sentences: added objects, lighting, ...). Each part is
rendered to its own sentence, so an edit that changes one part leaves every other
sentence byte-identical::

    A black steam train gallops along the tracks. The background is a forest in fog.
    The shot is a close-up. The style is realistic.

Chinese renders the same parts with Chinese sentence frames (``背景是……。``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PARTS = ("subject", "background", "shot", "style", "extras")
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
