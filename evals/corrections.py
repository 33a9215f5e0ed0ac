"""``dialoggen data corrections``: error-correction data (paper §4.3).

A *student* (any configured model, run through the real graph, free-running) answers every
turn of a train set; a *teacher* chat model, given ``prompts/correction.md`` (three rules,
three worked examples), judges each output and writes the correction and the correct
solution as structured output. One JSONL line per turn::

    {"id", "round", "lang", "history": [{"role", "content"}...], "query", "original_output",
     "expected", "reference", "is_correct", "rule", "correction", "correct_solution",
     "student", "teacher"}

Outputs use the training format of ``prompts/train_instruction.md``: a picture is
``<draw>PROMPT</draw>``, an attached image is ``<img>caption</img>`` in the user's turn.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import typer
from pydantic import BaseModel, Field

from ..agent.errors import ConfigError, DialogGenError
from ..agent.schemas import CriticRule
from .cli import data_app
from .dataset import Conversation, load_conversations
from .train_format import format_history, record_output, reference_output, turn_user


class Correction(BaseModel):
    """The teacher's structured answer for one turn."""

    is_correct: bool = Field(description="True only when the original output follows all three rules.")
    rule: Optional[CriticRule] = Field(default=None, description="The first rule broken: intent, coherence or descriptive_prompt.")
    correction: str = Field(description="One or two sentences: what is wrong and how to fix it (or why it is right).")
    correct_solution: str = Field(description="The output the assistant should have given: plain text, or <draw>prompt</draw>.")


# --- teacher input ----------------------------------------------------------------------------

def teacher_message(sample: dict[str, Any]) -> str:
    """The teacher's user message for one sample (the layout of the prompt's examples)."""
    lines = [
        "History:",
        format_history(sample["history"]),
        f"Query: User: {sample['query']}",
        f"Original output: {sample['original_output'] or '(empty)'}",
        f"Expected modality: {sample['expected']}",
    ]
    if sample.get("reference"):
        lines.append(f"Reference answer: {sample['reference']}")
    return "\n".join(lines)


# --- student ----------------------------------------------------------------------------------

Student = Callable[[list[Conversation]], Iterable[tuple[Conversation, list[dict[str, Any]]]]]


def graph_student(spec: str, *, openai_base_url: Optional[str] = None, workers: int = 1, conv_file: Optional[Path] = None) -> Student:
    """A student that runs ``spec`` in every role (intent, rewrite, chat) through the graph,
    no critic, no pictures; yields each conversation with its turn records."""
    import dataclasses

    from ..agent.context import Context
    from .modality import run_many

    ctx = dataclasses.replace(Context(), intent=spec, rewrite=spec, chat=spec, critic=None, t2i="none", openai_base_url=openai_base_url)

    def run(convs: list[Conversation]):
        done: list[tuple[Conversation, list[dict[str, Any]]]] = []
        stats = run_many(convs, ctx, lambda c, pairs: done.append((c, [rec for _, rec in pairs])), conv_file=conv_file, workers=workers)
        if stats.failed and not stats.done:
            raise DialogGenError(f"The student failed on every conversation (first: {stats.errors[0]}): check its model spec.")
        return done

    return run


def student_samples(conv: Conversation, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One sample per turn: the history the student saw (its own earlier outputs), the query,
    its output, and the set's expectation."""
    samples = []
    history: list[dict[str, str]] = []
    for round_, (turn, record) in enumerate(zip(conv.turns, records), 1):
        query = turn_user(turn)
        output = record_output(record)
        samples.append({
            "id": conv.id,
            "round": round_,
            "lang": conv.lang,
            "history": list(history),
            "query": query,
            "original_output": output,
            "expected": turn.expected,
            "reference": reference_output(turn),
        })
        history += [{"role": "user", "content": query}, {"role": "assistant", "content": output}]
    return samples


# --- teacher ----------------------------------------------------------------------------------

def correct_sample(teacher: Any, sample: dict[str, Any]) -> Correction:
    """Ask the teacher (a langchain chat model) for the structured correction of one sample."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from ..prompts import load_prompt

    structured = teacher.with_structured_output(Correction)
    result = structured.invoke([SystemMessage(load_prompt("correction")), HumanMessage(teacher_message(sample))])
    if isinstance(result, dict):
        result = Correction.model_validate(result)
    if result.is_correct:
        result.rule = None
    return result


def make_corrections(
    convs: list[Conversation],
    student: Student,
    teacher: Any,
    out: Path,
    *,
    student_name: str = "",
    teacher_name: str = "",
    workers: int = 1,
    on_progress: Optional[Callable[[int], None]] = None,
) -> dict[str, int]:
    """Run the student over ``convs``, have the teacher correct every turn, write ``out``
    (JSONL). Returns counts: ``samples``, ``wrong`` (teacher says not correct), ``failed``."""
    samples = [s for conv, records in student(convs) for s in student_samples(conv, records)]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    counts = {"samples": 0, "wrong": 0, "failed": 0}
    lock = threading.Lock()

    def one(sample: dict[str, Any]):
        try:
            return sample, correct_sample(teacher, sample), None
        except Exception as exc:  # noqa: BLE001 - counted; the rest goes on
            return sample, None, exc

    errors: list[str] = []
    with out.open("w", encoding="utf-8") as fh, ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for sample, fix, exc in pool.map(one, samples):
            with lock:
                if fix is None:
                    counts["failed"] += 1
                    errors.append(f"{sample['id']} round {sample['round']}: {exc}")
                else:
                    row = {**sample, **fix.model_dump(mode="json"), "student": student_name, "teacher": teacher_name}
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                    counts["samples"] += 1
                    counts["wrong"] += int(not fix.is_correct)
            if on_progress is not None:
                on_progress(1)
    if samples and not counts["samples"]:
        raise DialogGenError(f"The teacher failed on every sample (first: {errors[0]}): check its model spec and that it supports structured output.")
    return counts


@data_app.command("corrections")
def corrections_command(
    data: Path = typer.Option(..., "--data", help="Train set in the benchmark format (JSONL)."),
    student: str = typer.Option(..., "--student", help="Student model spec (offline, openai:MODEL, hf:PATH); runs intent, rewrite and chat."),
    teacher: str = typer.Option(..., "--teacher", help="Teacher chat model spec (openai:MODEL, hf:PATH) with structured output."),
    out: Path = typer.Option(..., "--out", help="Output JSONL file of corrections."),
    openai_base_url: Optional[str] = typer.Option(None, help="Base URL of an OpenAI-compatible server."),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N conversations."),
    workers: int = typer.Option(1, min=1, help="Parallel calls (student conversations and teacher samples)."),
) -> None:
    """Run a student over a train set and have a teacher correct each turn (paper §4.3)."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console()
    try:
        convs = load_conversations(data, what="train")
        convs = convs[:limit] if limit else convs
        from ..agent.llm.models import load_chat_model

        teacher_model = load_chat_model(teacher, openai_base_url=openai_base_url)
        run_student = graph_student(student, openai_base_url=openai_base_url, workers=workers, conv_file=data)
        n_turns = sum(len(c.turns) for c in convs)
        with Progress(console=console) as bar:
            task = bar.add_task("teacher corrections", total=n_turns)
            counts = make_corrections(convs, run_student, teacher_model, out, student_name=student, teacher_name=teacher,
                                      workers=workers, on_progress=lambda k: bar.advance(task, k))
    except (DialogGenError, ConfigError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1)
    console.print(f"Wrote {counts['samples']} samples to {out} ({counts['wrong']} corrected, {counts['failed']} failed).")
