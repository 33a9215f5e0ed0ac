"""The training format shared by ``data corrections`` and ``data export`` (documented in
``prompts/train_instruction.md``): a picture is ``<draw>PROMPT</draw>``, an attached image
is ``<img>caption</img>`` before the user's words."""

from __future__ import annotations

from typing import Any, Optional

from .dataset import Turn

DRAW_OPEN, DRAW_CLOSE = "<draw>", "</draw>"


def draw(prompt_text: str) -> str:
    """A drawing prompt in the training format."""
    return f"{DRAW_OPEN}{prompt_text.strip()}{DRAW_CLOSE}"


def user_content(text: str, caption: Optional[str] = None) -> str:
    """A user turn in the training format: ``<img>caption</img>`` before the words."""
    return f"<img>{caption.strip()}</img>\n{text}" if caption else text


def turn_user(turn: Turn) -> str:
    return user_content(turn.user, turn.image.caption if turn.image is not None else None)


def record_output(record: dict[str, Any]) -> str:
    """What the assistant produced in a turn, in the training format."""
    if record.get("modality") == "image":
        return draw(record.get("prompt_text") or "")
    return record.get("reply") or ""


def reference_output(turn: Turn) -> Optional[str]:
    """The turn's reference answer in the training format, when the set has one."""
    if not turn.reference:
        return None
    return draw(turn.reference) if turn.expected == "image" else turn.reference


def format_history(history: list[dict[str, str]]) -> str:
    if not history:
        return "(none)"
    return "\n".join(f"{'User' if m['role'] == 'user' else 'Assistant'}: {m['content']}" for m in history)
