"""``dialoggen data export``: instruction-tuning data in chat format (TRL SFT:
``{"messages": [{"role": "system"|"user"|"assistant", "content": ...}]}`` per line).

Sets (paper §4.2-4.3, Table 6), every sample opening with the training instruction
(``prompts/train_instruction.md``) as its system message:

- ``d_p.jsonl``  (D_p): single-turn request -> drawing prompt: each conversation's first
  picture turn that has a reference prompt;
- ``d_pm.jsonl`` (D_pm): D_p samples shuffled and concatenated into multi-turn samples of
  2-3 turns, one language each (deterministic for a given ``--seed``);
- ``d_b.jsonl``  (D_b): the train split's conversations, multi-turn; assistant turns are the
  references (``<draw>prompt</draw>`` for pictures); a turn with no reference takes the
  teacher's correct solution from ``--corrections`` when there is one, otherwise the
  conversation is cut before it;
- ``d_c.jsonl``  (D_c, with ``--corrections``): history, query and the student's original
  output in one user message; the assistant answers ``Correction: ...`` and
  ``Correct solution: ...``;
- ``all.jsonl``: the union, shuffled; ``manifest.json``: counts and settings.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any, Iterable, Optional

import typer

from ..agent.errors import DialogGenError, InputError
from .cli import data_app
from .train_format import format_history, reference_output, turn_user
from .dataset import Conversation, load_conversations

SETS = ("d_p", "d_pm", "d_b", "d_c")
CHECK_REQUEST = "Check the original output against the three rules (intent, coherence, descriptive prompt) and correct it."


def training_instruction() -> str:
    """The system message of every sample (the prompt file without its leading comment)."""
    from ..prompts import load_prompt

    return re.sub(r"<!--.*?-->", "", load_prompt("train_instruction"), flags=re.S).strip()


def _msg(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


def d_p_samples(convs: Iterable[Conversation], system: str) -> list[dict[str, Any]]:
    """Single-turn request -> drawing prompt: the first picture turn of each conversation
    (nothing earlier to edit), when it has a reference prompt."""
    out = []
    for conv in convs:
        for turn in conv.turns:
            if turn.expected == "image":
                if turn.reference:
                    out.append({"messages": [_msg("system", system), _msg("user", turn_user(turn)), _msg("assistant", reference_output(turn))]})
                break
    return out


def d_pm_samples(d_p: list[dict[str, Any]], *, seed: int = 0, sizes: tuple[int, ...] = (2, 3)) -> list[dict[str, Any]]:
    """D_p samples shuffled and concatenated into multi-turn samples of one language each
    (each D_p sample used once; a leftover single turn is dropped)."""
    from ..agent.lang import detect_lang

    rng = random.Random(seed)
    by_lang: dict[str, list[dict[str, Any]]] = {}
    for sample in d_p:
        by_lang.setdefault(detect_lang(sample["messages"][1]["content"]), []).append(sample)
    out = []
    for lang in sorted(by_lang):
        pool = by_lang[lang]
        rng.shuffle(pool)
        i = 0
        while i < len(pool):
            k = rng.choice(sizes)
            group = pool[i : i + k]
            i += k
            if len(group) < 2:
                break
            messages = [group[0]["messages"][0]]
            for sample in group:
                messages += sample["messages"][1:]
            out.append({"messages": messages})
    rng.shuffle(out)
    return out


def load_corrections(path: Optional[Path]) -> list[dict[str, Any]]:
    if path is None:
        return []
    if not Path(path).is_file():
        raise InputError(f"No corrections file at {path}: give the file written by 'dialoggen data corrections'.")
    rows = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    raise InputError(f"{path}:{n} is not JSON: rewrite the file with 'dialoggen data corrections'.") from None
    return rows


def d_b_samples(convs: Iterable[Conversation], system: str, corrections: list[dict[str, Any]] = ()) -> tuple[list[dict[str, Any]], int]:
    """Multi-turn samples from the train conversations; returns (samples, turns cut)."""
    solutions = {(str(c["id"]), int(c["round"])): c["correct_solution"] for c in corrections if c.get("correct_solution")}
    out, cut = [], 0
    for conv in convs:
        messages = [_msg("system", system)]
        for round_, turn in enumerate(conv.turns, 1):
            answer = reference_output(turn) or solutions.get((conv.id, round_))
            if not answer:
                cut += len(conv.turns) - round_ + 1
                break
            messages += [_msg("user", turn_user(turn)), _msg("assistant", answer)]
        if len(messages) > 1:
            out.append({"messages": messages})
    return out, cut


def correction_user_message(row: dict[str, Any]) -> str:
    """The user message of a D_c sample: the case the student got, and the request to check it."""
    return "\n".join([
        "History:",
        format_history(row.get("history") or []),
        f"Query: User: {row['query']}",
        f"Original output: {row.get('original_output') or '(empty)'}",
        "",
        CHECK_REQUEST,
    ])


def d_c_samples(corrections: Iterable[dict[str, Any]], system: str) -> list[dict[str, Any]]:
    """Error-correction samples: (history, query, original output) -> correction + solution."""
    out = []
    for row in corrections:
        answer = f"Correction: {row['correction'].strip()}\nCorrect solution: {row['correct_solution'].strip()}"
        out.append({"messages": [_msg("system", system), _msg("user", correction_user_message(row)), _msg("assistant", answer)]})
    return out


def export(train: Path, out_dir: Path, *, corrections: Optional[Path] = None, seed: int = 0) -> dict[str, Any]:
    """Write every set into ``out_dir``; returns the manifest."""
    train = Path(train)
    convs = load_conversations(train, what="train")
    system = training_instruction()
    fixes = load_corrections(corrections)
    d_p = d_p_samples(convs, system)
    d_b, cut = d_b_samples(convs, system, fixes)
    sets = {"d_p": d_p, "d_pm": d_pm_samples(d_p, seed=seed), "d_b": d_b}
    if corrections is not None:
        sets["d_c"] = d_c_samples(fixes, system)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    union: list[dict[str, Any]] = []
    for name, samples in sets.items():
        _write(out_dir / f"{name}.jsonl", samples)
        union += samples
    random.Random(seed).shuffle(union)
    _write(out_dir / "all.jsonl", union)
    manifest = {
        "train": str(train),
        "corrections": str(corrections) if corrections else None,
        "seed": seed,
        "counts": {name: len(samples) for name, samples in sets.items()} | {"all": len(union)},
        "d_b_turns_cut": cut,
        "format": "TRL SFT chat format: {\"messages\": [{\"role\", \"content\"}]}; pictures as <draw>prompt</draw>, attached images as <img>caption</img>",
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def _write(path: Path, samples: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(s, ensure_ascii=False) + "\n" for s in samples)


@data_app.command("export")
def export_command(
    train: Path = typer.Option(..., "--train", help="Train set in the benchmark format (JSONL)."),
    out: Path = typer.Option(..., "--out", help="Output folder for d_p/d_pm/d_b/d_c/all .jsonl and manifest.json."),
    corrections: Optional[Path] = typer.Option(None, "--corrections", help="Corrections file from 'dialoggen data corrections' (adds D_c)."),
    seed: int = typer.Option(0, help="Seed of the D_pm concatenation and the union's shuffle."),
) -> None:
    """Chat-format instruction-tuning data (TRL SFT) for D_p, D_pm, the train split and corrections."""
    from rich.console import Console

    console = Console()
    try:
        manifest = export(train, out, corrections=corrections, seed=seed)
    except DialogGenError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1)
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    cut = manifest["d_b_turns_cut"]
    hint = " (a corrections file fills turns that lack a reference)" if cut and corrections is None else ""
    console.print(f"Wrote {out}: {counts} samples; {cut} train turns without a reference were cut{hint}.")
