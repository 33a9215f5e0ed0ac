"""Structured values passed between nodes and models: image references, the intent
decision (the paper's single-pass output), the critic's verdict, the turn record and the
:class:`Conversation` every role sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

from langchain_core.messages import AnyMessage

from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from .lang import Lang
from .prompt import DrawingPrompt

Modality = Literal["text", "image"]


class ImageRef(TypedDict):
    """A reference to an image file in the content-addressed store. Never the bytes."""

    path: str  # absolute path of the stored file
    sha256: str
    caption: Optional[str]  # user-given caption, or the drawing prompt from PNG metadata


class TurnDecision(BaseModel):
    """What the intent step decides for a turn. An LLM doing intent and rewrite in one pass
    fills ``prompt`` (image) or ``reply`` (text) too, so one call feeds both nodes."""

    modality: Modality = Field(description="'image' to draw a picture, 'text' to answer in words.")
    confidence: float = Field(default=1.0, ge=0.0, le=1.0, description="Probability that the modality is right.")
    reply: Optional[str] = Field(default=None, description="The text reply, when modality is 'text'.")
    prompt: Optional[DrawingPrompt] = Field(default=None, description="The drawing prompt, when modality is 'image'.")
    source: str = Field(default="", description="Which model decided (for the record).")
    draw_text: Optional[str] = Field(
        default=None, description="The whole drawing prompt in draw_lang, written by the LLM in the same call (asked for only when the T2I model reads another language than the conversation's)."
    )
    draw_lang: Optional[Lang] = Field(default=None, description="The language draw_text was asked in.")


CriticRule = Literal["intent", "coherence", "descriptive_prompt"]


class CriticVerdict(BaseModel):
    """The critic's structured verdict on one turn (the paper's three rules)."""

    ok: bool = Field(description="True when the output follows all three rules.")
    rule: Optional[CriticRule] = Field(default=None, description="The first rule broken, when not ok.")
    reason: str = Field(default="", description="Why the rule is broken (one sentence).")
    corrected_modality: Optional[Modality] = Field(default=None, description="The right modality, when it changes.")
    corrected_reply: Optional[str] = Field(default=None, description="The corrected text reply, for a text turn.")
    corrected_prompt: Optional[DrawingPrompt] = Field(default=None, description="The corrected drawing prompt, for an image turn.")
    corrected_draw_text: Optional[str] = Field(default=None, description="The corrected prompt in draw_lang, when the LLM critic was asked for it.")
    draw_lang: Optional[Lang] = Field(default=None, description="The language corrected_draw_text was asked in.")
    critic: str = Field(default="", description="Which critic judged (model spec).")


class TurnRecord(TypedDict, total=False):
    """One finished turn, as kept in graph state and checkpoints (references only)."""

    turn: int  # 1-based over the whole thread
    user: str
    lang: Literal["en", "zh"]
    attachment: Optional[ImageRef]
    modality: Modality
    confidence: float
    decided_by: str
    reply: Optional[str]
    prompt: Optional[dict]  # DrawingPrompt.model_dump()
    prompt_text: Optional[str]  # the prompt rendered in the conversation's language
    draw_text: Optional[str]  # the text the T2I model drew from (prompt_text, or its translation)
    draw_lang: Optional[Literal["en", "zh"]]  # the language of draw_text
    draw_source: Optional[Literal["prompt", "llm", "offline"]]  # where draw_text came from: prompt_text itself (same language), the LLM's own text in draw_lang (same call), or the offline translation
    prompt_diff: list[dict]  # PartChange dumps against the previous prompt
    image: Optional[ImageRef]
    seed: int
    critic: Optional[dict]  # CriticVerdict.model_dump(), when the critic ran
    notice: Optional[str]  # e.g. "No image model is configured: ..."


@dataclass
class Conversation:
    """What a role sees of the thread when it handles the current user turn."""

    user: str  # the current user message
    lang: Lang
    messages: list[AnyMessage] = field(default_factory=list)  # whole history, current message last
    turns: list[TurnRecord] = field(default_factory=list)  # finished turns, oldest first
    attachment: Optional[ImageRef] = None  # image attached to the current message
    # The language the T2I model draws from, when known before drawing and different from
    # ``lang``: an LLM role then also writes the whole drawing prompt in it (same call).
    draw_lang: Optional[Lang] = None

    @property
    def previous_turn(self) -> Optional[TurnRecord]:
        return self.turns[-1] if self.turns else None

    @property
    def previous_modality(self) -> Optional[Modality]:
        t = self.previous_turn
        return t.get("modality") if t else None

    @property
    def previous_user(self) -> Optional[str]:
        t = self.previous_turn
        return t.get("user") if t else None

    @property
    def previous_prompt(self) -> Optional[DrawingPrompt]:
        """The most recent drawing prompt of the thread (the rewrite's starting point)."""
        for t in reversed(self.turns):
            if t.get("prompt"):
                return DrawingPrompt.model_validate(t["prompt"])
        return None

    @property
    def previous_image(self) -> Optional[ImageRef]:
        for t in reversed(self.turns):
            if t.get("image"):
                return t["image"]
        return None
