"""``dialoggen eval coherence``: the coherence VQA score (the DialogGen paper's Eq. 2).

For each conversation, every image turn that has ``questions`` is drawn with the project's
T2I tool and the conversation's fixed seed (``seed`` on the conversation, else ``--seed``),
from the drawing prompt the system produced (``--predictions``: the ``predictions.jsonl``
of ``dialoggen eval modality``) or else the turn's ``reference``. As in the graph, an edit
(a prompt that keeps some parts of the previous drawn prompt) starts from the previous
picture (img2img) when the pipeline can. Each question goes to the VQA model, which scores
the probability of the expected answer (:class:`dialoggen.tools.vqa.VQAScorer`); questions
are averaged per image, then images are averaged (BLIP reads English, so every language
asks the English ``q``; a Chinese set's ``q_zh`` is for people):

    score = mean over images ( mean over questions P(expected answer | image, question) )

Writes ``DIR/coherence.json`` (summary), ``DIR/coherence_rows.jsonl`` (one row per image,
with each question's score) and the pictures under ``DIR/images/``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

import typer

from ..agent.errors import ConfigError, DialogGenError, InputError
from ..agent.prompt import DrawingPrompt
from .cli import eval_app
from .dataset import Conversation, Turn, load_conversations

SUMMARY = "coherence.json"
ROWS = "coherence_rows.jsonl"
IMAGES = "images"
DEFAULT_SEED = 42  # the graph's default thread seed (Context.default_seed)


@dataclass
class ImageJob:
    """One picture to draw and question."""

    conv_id: str
    round: int
    lang: str
    prompt_text: str
    prompt: Optional[dict]  # DrawingPrompt dump when known (decides edit vs new picture)
    source: str  # "prediction" or "reference"
    questions: list[dict]
    seed: int


@dataclass
class CoherenceResult:
    score: Optional[float]
    clip_score: Optional[float]
    rows: list[dict[str, Any]]
    summary: dict[str, Any]
    out_dir: Path


# --- which pictures --------------------------------------------------------------------------

def load_prediction_prompts(path: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """``(conversation id, round) -> prediction row`` from a ``predictions.jsonl``."""
    if not path.is_file():
        raise InputError(f"No predictions file at {path}: give the predictions.jsonl written by 'dialoggen eval modality'.")
    out: dict[tuple[str, int], dict[str, Any]] = {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                out[(str(row["id"]), int(row["round"]))] = row
            except (ValueError, KeyError, TypeError):
                raise InputError(f"{path}:{n} is not a prediction row: give the predictions.jsonl written by 'dialoggen eval modality'.") from None
    return out


def _prompt_text(prompt: Optional[dict], text: Optional[str]) -> Optional[str]:
    if text:
        return text
    if prompt:
        try:
            return DrawingPrompt.model_validate(prompt).render()
        except ValueError:
            return None
    return None


def plan_jobs(
    convs: Iterable[Conversation], predictions: Optional[dict[tuple[str, int], dict[str, Any]]], seed: int
) -> tuple[list[ImageJob], dict[str, int]]:
    """The pictures to draw, and counts of the turns left out (``no_questions``: an image turn
    without questions; ``missed``: the system answered in words where a picture was expected;
    ``no_prompt``: no prompt to draw)."""
    jobs: list[ImageJob] = []
    counts = {"no_questions": 0, "missed": 0, "no_prompt": 0}
    for conv in convs:
        own = getattr(conv, "seed", None)  # an extra field of the format, when the set fixes seeds
        conv_seed = own if isinstance(own, int) and not isinstance(own, bool) else seed
        for round_, turn in enumerate(conv.turns, 1):
            if turn.expected != "image":
                continue
            if not turn.questions:
                counts["no_questions"] += 1
                continue
            job = _job(conv, round_, turn, predictions, conv_seed)
            if isinstance(job, str):
                counts[job] += 1
            else:
                jobs.append(job)
    return jobs, counts


def _job(conv: Conversation, round_: int, turn: Turn, predictions, seed: int) -> "ImageJob | str":
    questions = [{"q": q.q, "a": q.a} for q in turn.questions or []]
    if predictions is not None:
        row = predictions.get((conv.id, round_))
        if row is None:
            return "no_prompt"
        if row.get("predicted") != "image":
            return "missed"
        prompt = row.get("prompt")
        text = _prompt_text(prompt, row.get("output"))
        source = "prediction"
    else:
        extra = getattr(turn, "prompt", None)  # generated sets keep the reference as a DrawingPrompt dump
        prompt = extra if isinstance(extra, dict) else None
        text = _prompt_text(prompt, turn.reference)
        source = "reference"
    if not text:
        return "no_prompt"
    return ImageJob(conv.id, round_, conv.lang, text, prompt, source, questions, seed)


def is_edit(prompt: Optional[dict], previous: Optional[dict]) -> bool:
    """The graph's rule: an edit keeps some parts of the previous prompt and changes others."""
    if not prompt or not previous:
        return False
    try:
        now, before = DrawingPrompt.model_validate(prompt), DrawingPrompt.model_validate(previous)
    except ValueError:
        return False
    parts_now = [p for p, v in prompt.items() if p != "lang" and v]
    changed = {c.part for c in now.diff(before)}
    return bool(changed) and len(changed) < len(parts_now)


# --- the run ---------------------------------------------------------------------------------

def _mean(values: list[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def evaluate(
    data: Path,
    out_dir: Path,
    *,
    t2i: str,
    vqa: str,
    clip: Optional[str] = None,
    predictions: Optional[Path] = None,
    limit: Optional[int] = None,
    seed: int = DEFAULT_SEED,
    steps: Optional[int] = None,
    size: Optional[int] = None,
    strength: float = 0.6,
    on_image: Optional[Any] = None,
) -> CoherenceResult:
    """Draw, question and score; write the summary and rows under ``out_dir``."""
    from ..tools.t2i import load_t2i
    from ..tools.vqa import CLIPScorer, VQAScorer

    data = Path(data)
    convs = load_conversations(data)
    convs = convs[:limit] if limit else convs
    preds = load_prediction_prompts(Path(predictions)) if predictions else None
    jobs, counts = plan_jobs(convs, preds, seed)
    if not jobs:
        raise InputError(
            f"No image turn with questions to draw in {data}: use a set with yes/no questions (dialoggen bench generate)"
            + (" and predictions that drew pictures." if preds is not None else ".")
        )
    tool = load_t2i(t2i)
    if tool is None:
        raise ConfigError("The coherence evaluation draws pictures: give --t2i diffusers:PATH_OR_HUB_ID.")
    scorer = VQAScorer(vqa)
    clip_scorer = CLIPScorer(clip) if clip else None

    out_dir = Path(out_dir)
    (out_dir / IMAGES).mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    drawn: dict[str, tuple[Optional[dict], Path]] = {}  # conversation -> last drawn (prompt, file)
    t0 = time.perf_counter()
    with (out_dir / ROWS).open("w", encoding="utf-8") as fh:
        for job in jobs:
            previous = drawn.get(job.conv_id)
            init = previous[1] if previous and tool.supports_img2img and is_edit(job.prompt, previous[0]) else None
            image = tool.generate(
                job.prompt_text, seed=job.seed, init_image=str(init) if init else None, strength=strength, steps=steps, size=size
            )
            file = out_dir / IMAGES / f"{_safe(job.conv_id)}-r{job.round}.png"
            image.save(file)
            drawn[job.conv_id] = (job.prompt, file)
            scores = scorer.score_many(image, [(q["q"], q["a"]) for q in job.questions])
            row = {
                "id": job.conv_id,
                "round": job.round,
                "lang": job.lang,
                "source": job.source,
                "prompt": job.prompt_text,
                "seed": job.seed,
                "edit_from": init.name if init else None,
                "image": str(file.relative_to(out_dir)),
                "questions": [{**q, "score": round(s, 6)} for q, s in zip(job.questions, scores)],
                "score": _mean(scores),
            }
            if clip_scorer is not None:
                row["clip"] = clip_scorer.score(image, job.prompt_text)
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            fh.flush()
            rows.append(row)
            if on_image is not None:
                on_image(row)
    seconds = time.perf_counter() - t0
    summary = summarise(rows, counts)
    summary.update(
        {"data": str(data), "predictions": str(predictions) if predictions else None, "t2i": t2i, "vqa": vqa, "clip": clip,
         "seed": seed, "steps": steps, "image_size": size, "conversations": len(convs), "seconds": round(seconds, 3),
         "scoring": "yes/no answers: P(expected) from a two-way softmax over the first answer token; "
                    "other answers: exp(mean token log-prob); mean per image, then over images"}
    )
    (out_dir / SUMMARY).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return CoherenceResult(summary["score"], summary.get("clip_score"), rows, summary, out_dir)


def summarise(rows: list[dict[str, Any]], counts: dict[str, int]) -> dict[str, Any]:
    """The score over images, per round and per language, with the counts behind it."""
    def block(sel: list[dict[str, Any]]) -> dict[str, Any]:
        return {"score": _round(_mean([r["score"] for r in sel])), "images": len(sel)}

    out: dict[str, Any] = {
        "score": _round(_mean([r["score"] for r in rows])),
        "images": len(rows),
        "questions": sum(len(r["questions"]) for r in rows),
        "by_round": {str(k): block([r for r in rows if r["round"] == k]) for k in sorted({r["round"] for r in rows})},
        "by_lang": {k: block([r for r in rows if r["lang"] == k]) for k in sorted({r["lang"] for r in rows})},
        "left_out": counts,
    }
    clips = [r["clip"] for r in rows if "clip" in r]
    if clips:
        out["clip_score"] = _round(_mean(clips))
    return out


def _round(x: Optional[float]) -> Optional[float]:
    return None if x is None else round(x, 4)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:120]


# --- CLI -------------------------------------------------------------------------------------

@eval_app.command("coherence")
def coherence_command(
    data: Path = typer.Option(..., "--data", help="Benchmark JSONL file whose image turns have yes/no questions."),
    out: Path = typer.Option(..., "--out", help="Output folder: coherence.json, coherence_rows.jsonl, images/."),
    t2i: str = typer.Option(..., "--t2i", help="Image model spec, diffusers:PATH_OR_HUB_ID."),
    vqa: str = typer.Option("Salesforce/blip-vqa-base", "--vqa", help="BLIP-VQA model: local folder or downloaded hub id."),
    clip: Optional[str] = typer.Option(None, "--clip", help="Optional CLIP model (folder or hub id) for a CLIP score beside it."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="predictions.jsonl of 'eval modality': draw the system's prompts instead of the references."),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N conversations."),
    seed: int = typer.Option(DEFAULT_SEED, help="Seed of conversations that do not set one (the graph's default thread seed)."),
    steps: Optional[int] = typer.Option(None, min=1, help="Denoising steps (default: the pipeline's)."),
    image_size: Optional[int] = typer.Option(None, min=8, help="Image side in pixels (default: the pipeline's)."),
) -> None:
    """Coherence VQA score (paper Eq. 2): draw each image turn, ask its questions, average P(expected answer)."""
    from rich.console import Console

    console = Console()
    try:
        with console.status("drawing and questioning…") as status:
            def on_image(row: dict[str, Any]) -> None:
                status.update(f"{row['id']} round {row['round']}: {row['score']:.3f}")

            result = evaluate(data, out, t2i=t2i, vqa=vqa, clip=clip, predictions=predictions, limit=limit, seed=seed,
                              steps=steps, size=image_size, on_image=on_image)
    except DialogGenError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1)
    s = result.summary
    console.print(f"Coherence VQA score: [bold]{s['score']:.4f}[/bold] over {s['images']} images, {s['questions']} questions")
    for k, v in s["by_round"].items():
        console.print(f"  round {k}: {v['score']:.4f} ({v['images']} images)")
    if result.clip_score is not None:
        console.print(f"  CLIP score: {result.clip_score:.2f}")
    left = {k: v for k, v in s["left_out"].items() if v}
    if left:
        console.print("  left out: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in left.items()))
    console.print(f"  Wrote {result.out_dir / SUMMARY}, {ROWS} and {IMAGES}/")
