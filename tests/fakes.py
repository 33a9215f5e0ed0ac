"""Instant fake implementations of the four roles (tests only). Also usable from a
subprocess as ``--intent py:fakes:FakeIntent`` with ``tests/`` on PYTHONPATH."""

from __future__ import annotations

from dialoggen.agent.prompt import DrawingPrompt
from dialoggen.agent.schemas import CriticVerdict, TurnDecision

IMAGE_WORDS = ("draw", "picture", "paint", "make it", "change", "画", "改")


class FakeIntent:
    """Image when the message asks to draw or change something; counts its calls."""

    name = "fake"

    def __init__(self) -> None:
        self.calls = 0

    def decide(self, conv, *, full_turn=False):
        self.calls += 1
        wants_image = any(w in conv.user.lower() for w in IMAGE_WORDS)
        return TurnDecision(modality="image" if wants_image else "text", confidence=0.9, source="fake")


class FakeRewriter:
    """New prompt from the request; 'background X' edits only the background."""

    name = "fake"

    def rewrite(self, conv):
        prev = conv.previous_prompt
        text = conv.user
        if prev is not None and "background" in text:
            return prev.model_copy(update={"background": text.split("background", 1)[1].strip(" .:") or "a plain wall"})
        return DrawingPrompt(subject=text, background="a park", shot="a medium shot", style="realistic", lang=conv.lang)


class FakeChat:
    name = "fake"

    def reply(self, conv):
        caption = (conv.attachment or {}).get("caption")
        return f"echo: {conv.user}" + (f" [{caption}]" if caption else "")


class FakeCritic:
    """Rejects the modality of any turn whose text contains 'wrong'."""

    name = "fake-critic"

    def check(self, conv, decision):
        if "wrong" in conv.user:
            flipped = "text" if decision.modality == "image" else "image"
            return CriticVerdict(ok=False, rule="intent", reason="the user did not ask for that", corrected_modality=flipped)
        return CriticVerdict(ok=True)
