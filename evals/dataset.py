"""Reader and writer for the benchmark format (``shared/benchmark/FORMAT.md``).

One conversation per JSONL line. Readers ignore unknown fields but keep them (``extra``),
so a set assembled elsewhere round-trips. Every tool that reads or writes conversations
goes through :func:`read_jsonl` / :func:`write_jsonl`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

Scenario = Literal["T->T", "T->I", "I+T->T", "I+T->I"]
SCENARIOS: tuple[Scenario, ...] = ("T->T", "T->I", "I+T->T", "I+T->I")


class Question(BaseModel):
    model_config = ConfigDict(extra="allow")
    q: str
    a: str


class AttachedImage(BaseModel):
    model_config = ConfigDict(extra="allow")
    caption: Optional[str] = None
    path: Optional[str] = None  # relative to the JSONL file


class Turn(BaseModel):
    model_config = ConfigDict(extra="allow")
    user: str
    image: Optional[AttachedImage] = None
    scenario: Scenario
    expected: Literal["text", "image"]
    reference: Optional[str] = None
    questions: Optional[list[Question]] = None

    @model_validator(mode="after")
    def _agrees(self) -> "Turn":
        want = ("I+T" if self.image is not None else "T") + "->" + ("I" if self.expected == "image" else "T")
        if want != self.scenario:
            raise ValueError(f"scenario {self.scenario!r} disagrees with image/expected ({want!r})")
        return self


class Conversation(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    lang: Literal["en", "zh"]
    topic: Optional[str] = None
    edit_type: Optional[str] = None
    source: Optional[Union[str, list[str]]] = None
    turns: list[Turn] = Field(min_length=1)


def scenario_of(has_image: bool, expected: str) -> Scenario:
    return ("I+T" if has_image else "T") + "->" + ("I" if expected == "image" else "T")  # type: ignore[return-value]


def iter_jsonl(path: Union[str, Path]) -> Iterator[Conversation]:
    """Conversations of a JSONL file, in order; a bad line raises ``ValueError`` naming it."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield Conversation.model_validate_json(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not a benchmark conversation ({exc.__class__.__name__}: {str(exc).splitlines()[0]})") from None


def read_jsonl(path: Union[str, Path]) -> list[Conversation]:
    return list(iter_jsonl(path))


def load_conversations(path: Union[str, Path], *, what: str = "benchmark") -> list[Conversation]:
    """The conversations of a benchmark file a user named; a missing file or a bad line
    raises :class:`~dialoggen.agent.errors.InputError` with one sentence saying what to do."""
    from ..agent.errors import InputError

    path = Path(path)
    if not path.is_file():
        raise InputError(f"No {what} file at {path}: give the path of a JSONL file in the benchmark format.")
    try:
        return read_jsonl(path)
    except ValueError as exc:
        raise InputError(f"{exc}: fix that line or regenerate the file.") from None


def write_jsonl(path: Union[str, Path], conversations: Iterable[Union[Conversation, dict[str, Any]]]) -> int:
    """Write conversations (validated) one per line; returns how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for conv in conversations:
            if isinstance(conv, dict):
                conv = Conversation.model_validate(conv)
            fh.write(json.dumps(conv.model_dump(mode="json", exclude_none=False), ensure_ascii=False) + "\n")
            n += 1
    return n


def image_path(conv_file: Union[str, Path], image: AttachedImage) -> Optional[Path]:
    """The attached image's file, resolved against the JSONL file's folder."""
    if image.path is None:
        return None
    return (Path(conv_file).parent / image.path).resolve()
