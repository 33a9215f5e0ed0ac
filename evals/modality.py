"""``dialoggen eval modality``: modality-switching accuracy per round x scenario (the
paper's Table 3), with prompt consistency on edit turns beside it.

Each benchmark conversation runs through the real graph as its own thread, free-running
(turn *k* sees the system's own earlier replies and prompts). Rows go to
``DIR/predictions.jsonl`` one conversation at a time, so a re-run with the same ``DIR``
resumes where it stopped. ``DIR/summary.json``, ``DIR/report.md`` and ``DIR/cells.png``
are rebuilt from all rows at the end.

Speed: the offline router's sentence embeddings are computed in batches
(``OfflineRouter.prefetch``), chunk by chunk so its cache holds them, the next chunk in a
background thread while the graph runs the current one; the graph runs without a
checkpointer, each thread's state carried from turn to turn by
:func:`run_conversation_records` (a graph given with a checkpointer keeps its threads
itself, checkpointing once per turn).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

import typer

from ..agent.context import Context
from ..agent.errors import ConfigError, DialogGenError, InputError
from .cli import eval_app
from .dataset import Conversation, Turn, image_path, load_conversations

PREDICTIONS = "predictions.jsonl"
RUN_INFO = "run.json"
DURABILITY = "exit"  # one checkpoint write per turn instead of one per step


# --- one conversation through the graph ---------------------------------------------------------

def attachment_ref(turn: Turn, conv_file: Optional[Path] = None) -> Optional[dict[str, Any]]:
    """The turn's attached image as an ``ImageRef``: the file (resolved against the JSONL
    file, hashed) when a path is given, else the caption alone (``path`` and ``sha256`` empty)."""
    if turn.image is None:
        return None
    path, digest = "", ""
    if turn.image.path is not None and conv_file is not None:
        file = image_path(conv_file, turn.image)
        if file is None or not file.is_file():
            raise InputError(f"The attached image {turn.image.path} of the benchmark file is missing: put it next to {conv_file} or set its path to null.")
        path, digest = str(file), hashlib.sha256(file.read_bytes()).hexdigest()
    return {"path": path, "sha256": digest, "caption": turn.image.caption}


def prediction_row(conv: Conversation, round_: int, turn: Turn, record: dict[str, Any]) -> dict[str, Any]:
    """One line of ``predictions.jsonl`` from a finished turn's record."""
    predicted = record.get("modality")
    output = record.get("prompt_text") if predicted == "image" else record.get("reply")
    return {
        "id": conv.id,
        "round": round_,
        "scenario": turn.scenario,
        "expected": turn.expected,
        "predicted": predicted,
        "correct": predicted == turn.expected,
        "confidence": record.get("confidence"),
        "decided_by": record.get("decided_by"),
        "output": output,
        "prompt": record.get("prompt"),
        "critic": record.get("critic"),
        "user": turn.user,
        "lang": conv.lang,
        "reference": turn.reference,
        # structured reference prompts of generated sets (consistency: the requested parts)
        "ref_prompt": (turn.model_extra or {}).get("prompt"),
        "ref_base_prompt": (turn.model_extra or {}).get("base_prompt"),
    }


def run_conversation(
    graph: Any,
    conv: Conversation,
    context: Context,
    *,
    conv_file: Optional[Path] = None,
    run_tag: str = "eval",
) -> list[dict[str, Any]]:
    """Run every turn of ``conv`` as one fresh thread; returns its prediction rows."""
    return [row for row, _ in run_conversation_records(graph, conv, context, conv_file=conv_file, run_tag=run_tag)]


def entry_node(graph: Any) -> Optional[str]:
    """The node the graph starts at (``START -> node``), when there is exactly one."""
    from langgraph.graph import START

    edges = getattr(getattr(graph, "builder", None), "edges", None) or ()
    starts = [end for start, end in edges if start == START]
    return starts[0] if len(starts) == 1 else None


def run_conversation_records(
    graph: Any,
    conv: Conversation,
    context: Context,
    *,
    conv_file: Optional[Path] = None,
    run_tag: str = "eval",
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(prediction row, full ``TurnRecord``) per turn of ``conv``, as one fresh thread.

    A graph with a checkpointer keeps the thread itself (``thread_id`` = run tag + id; the
    thread is deleted afterwards). A graph without one gets the thread's state carried
    here: each turn starts at the entry node with the messages, the finished turns and the
    seed so far (``Command(goto=entry, update=...)``), which is what the checkpoint would
    hold between turns (the scratch values are cleared at the end of every turn); this
    skips LangGraph's per-run checkpoint thread and halves the cost of a turn."""
    from langchain_core.messages import HumanMessage

    saver = getattr(graph, "checkpointer", None)
    entry = entry_node(graph) if saver is None else None
    if saver is None and entry is None:
        raise ConfigError("The graph has no checkpointer and no single entry node: build it with a checkpointer to evaluate it.")
    out: list[tuple[dict[str, Any], dict[str, Any]]] = []
    thread_id = f"{run_tag}:{conv.id}"
    config = {"configurable": {"thread_id": thread_id}}
    carried: dict[str, Any] = {"messages": [], "turns": [], "seed": None}
    try:
        for round_, turn in enumerate(conv.turns, 1):
            message, attachment = HumanMessage(turn.user), attachment_ref(turn, conv_file)
            if saver is not None:
                state = graph.invoke({"messages": [message], "attachment": attachment}, config, context=context, durability=DURABILITY)
            else:
                from langgraph.types import Command

                update = {**carried, "messages": carried["messages"] + [message], "attachment": attachment}
                state = graph.invoke(Command(goto=entry, update=update), context=context)
                carried = {"messages": list(state["messages"]), "turns": carried["turns"] + [state["last_turn"]], "seed": state.get("seed")}
            record = dict(state["last_turn"])
            out.append((prediction_row(conv, round_, turn, record), record))
    finally:
        if saver is not None and hasattr(saver, "delete_thread"):
            saver.delete_thread(thread_id)
    return out


# --- many conversations -------------------------------------------------------------------------

def resolve_roles(context: Context) -> dict[str, Any]:
    """Build every role the context names now (bad specs fail before any turn runs)."""
    from ..agent.roles import resolve

    roles = {}
    for name in ("intent", "rewrite", "chat", "critic"):
        spec = getattr(context, name)
        if spec:
            roles[name] = resolve(name, spec, openai_base_url=context.openai_base_url)
    return roles


def _chunks(convs: list[Conversation], max_texts: int) -> Iterator[list[Conversation]]:
    chunk: list[Conversation] = []
    n = 0
    for conv in convs:
        k = len(conv.turns)
        if chunk and n + k > max_texts:
            yield chunk
            chunk, n = [], 0
        chunk.append(conv)
        n += k
    if chunk:
        yield chunk


def _router_of(context: Context, roles: dict[str, Any]) -> Any:
    """The offline router that will embed this run's messages: the intent role itself, or
    the router an LLM intent consults first (``Context.router_shortcut``); ``None`` if neither."""
    if hasattr(roles.get("intent"), "prefetch"):
        return roles.get("intent")
    if getattr(context, "router_shortcut", None) is not None:
        try:
            from ..agent.roles import resolve

            return resolve("intent", "offline")
        except Exception:  # noqa: BLE001 - the shortcut is optional; so is prefetching for it
            return None
    return None


@dataclass
class RunStats:
    done: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def run_many(
    convs: list[Conversation],
    context: Context,
    on_done: Callable[[Conversation, list[tuple[dict[str, Any], dict[str, Any]]]], None],
    *,
    conv_file: Optional[Path] = None,
    workers: int = 1,
    graph: Any = None,
    on_progress: Optional[Callable[[int], None]] = None,
) -> RunStats:
    """Run ``convs`` through the graph (``workers`` threads), calling ``on_done(conv,
    [(row, record), ...])`` from the calling thread as each conversation finishes.

    A conversation that raises is counted as failed (and retried by a resumed run); a
    :class:`ConfigError` stops the run."""
    from ..graphs import build_graph

    roles = resolve_roles(context)
    if graph is None:
        graph = build_graph()  # no checkpointer: each thread's state is carried by run_conversation_records
    router = _router_of(context, roles)
    prefetch = getattr(router, "prefetch", None)
    cache = int(getattr(router, "cache_size", 0) or 0)
    max_texts = max(64, int(cache * 0.45)) if prefetch and cache else 2048
    run_tag = f"eval-{uuid.uuid4().hex[:8]}"
    stats = RunStats()

    def one(conv: Conversation):
        try:
            return conv, run_conversation_records(graph, conv, context, conv_file=conv_file, run_tag=run_tag), None
        except ConfigError:
            raise
        except Exception as exc:  # noqa: BLE001 - counted and reported; the run goes on
            return conv, None, exc

    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
    # The next chunk's embeddings are computed in a background thread while the graph runs
    # the current one (numpy matrix products release the GIL, so the two overlap).
    embedder = ThreadPoolExecutor(max_workers=1) if prefetch is not None else None

    def texts(chunk: list[Conversation]) -> list[str]:
        return [t.user for c in chunk for t in c.turns]

    try:
        chunks = list(_chunks(convs, max_texts))
        ahead = embedder.submit(prefetch, texts(chunks[0])) if embedder is not None and chunks else None
        for k, chunk in enumerate(chunks):
            if ahead is not None:
                try:
                    ahead.result()
                except Exception:  # noqa: BLE001 - only a speed-up: the router embeds on demand
                    pass
                ahead = embedder.submit(prefetch, texts(chunks[k + 1])) if k + 1 < len(chunks) else None
            results = pool.map(one, chunk) if pool is not None else map(one, chunk)
            for conv, pairs, exc in results:
                if exc is not None:
                    stats.failed += 1
                    if len(stats.errors) < 5:
                        stats.errors.append(f"{conv.id}: {exc.__class__.__name__}: {exc}")
                else:
                    stats.done += 1
                    on_done(conv, pairs)
                if on_progress is not None:
                    on_progress(1)
    finally:
        for executor in (pool, embedder):
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
    return stats


# --- predictions file and resume ----------------------------------------------------------------

def load_predictions(path: Path, convs: Iterable[Conversation]) -> tuple[list[dict[str, Any]], set[str]]:
    """Rows of the complete conversations of ``convs`` already in ``path``, and their ids.
    Rows of a conversation cut short (or a torn last line) are dropped and the file rewritten."""
    if not path.is_file():
        return [], set()
    wanted = {c.id: len(c.turns) for c in convs}
    by_id: dict[str, list[dict[str, Any]]] = {}
    torn = False
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                torn = True
                continue
            by_id.setdefault(str(row.get("id")), []).append(row)
    complete = {cid for cid, rows in by_id.items() if len({r.get("round") for r in rows}) == wanted.get(cid, len(rows))}
    if torn or len(complete) != len(by_id):
        with path.open("w", encoding="utf-8") as fh:
            for cid in by_id:
                if cid in complete:
                    fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in sorted(by_id[cid], key=lambda r: r["round"]))
    done = complete & set(wanted)  # rows of conversations outside this set stay in the file, out of the summary
    rows = [r for cid in by_id if cid in done for r in sorted(by_id[cid], key=lambda r: r["round"])]
    return rows, done


SETTINGS_KEYS = ("intent", "rewrite", "critic")  # what decides the modality


def _check_same_settings(out_dir: Path, context: Context) -> None:
    """Refuse to resume a folder written with other models; record the settings otherwise."""
    info_path = out_dir / RUN_INFO
    now = {k: getattr(context, k) or None for k in SETTINGS_KEYS}
    info: dict[str, Any] = {}
    if info_path.is_file():
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            info = {}
    before = info.get("settings", {})
    if (out_dir / PREDICTIONS).is_file():
        diff = [f"{k}={before.get(k)}" for k in SETTINGS_KEYS if k in before and before.get(k) != now[k]]
        if diff:
            raise InputError(f"{out_dir} holds predictions made with {', '.join(diff)}: choose another --out folder or delete that one.")
    info["settings"] = now
    info_path.write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass
class EvalResult:
    out_dir: Path
    table: Any
    summary: dict[str, Any]
    n_conversations: int
    n_run: int
    n_resumed: int
    n_failed: int
    seconds: float
    errors: list[str]

    @property
    def conversations_per_s(self) -> float:
        return self.n_run / self.seconds if self.seconds > 0 else 0.0


def evaluate(
    data: Path,
    out_dir: Path,
    context: Context,
    *,
    limit: Optional[int] = None,
    workers: int = 1,
    chart: bool = True,
    progress: bool = True,
    graph: Any = None,
    console: Any = None,
) -> EvalResult:
    """Run the modality evaluation of ``data`` into ``out_dir`` (resuming) and write the reports."""
    from .report import write_reports

    data = Path(data)
    convs = load_conversations(data)
    if limit is not None:
        convs = convs[:limit]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _check_same_settings(out_dir, context)
    pred_path = out_dir / PREDICTIONS
    rows, done = load_predictions(pred_path, convs)
    todo = [c for c in convs if c.id not in done]
    lock = threading.Lock()

    fh = pred_path.open("a", encoding="utf-8")

    def on_done(conv: Conversation, pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
        new = [row for row, _ in pairs]
        with lock:
            fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in new))
            fh.flush()
            rows.extend(new)

    t0 = time.perf_counter()
    try:
        if progress and todo:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            with Progress(
                TextColumn("[bold]modality eval"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                console=console, transient=False,
            ) as bar:
                task = bar.add_task("run", total=len(todo))
                stats = run_many(todo, context, on_done, conv_file=data, workers=workers, graph=graph,
                                 on_progress=lambda k: bar.advance(task, k))
        elif todo:
            stats = run_many(todo, context, on_done, conv_file=data, workers=workers, graph=graph)
        else:
            stats = RunStats()
    finally:
        fh.close()
    seconds = time.perf_counter() - t0
    if todo and stats.done == 0 and stats.failed:
        raise DialogGenError(f"Every conversation failed (first: {stats.errors[0]}): check the model settings and retry.")

    meta = {
        "data": str(data),
        "conversations": len(convs),
        "intent": context.intent,
        "rewrite": context.rewrite,
        "chat": context.chat,
        "critic": context.critic or "off (one-step inference)",
        "t2i": context.t2i,
    }
    table, summary = write_reports(out_dir, rows, meta, chart=chart)
    info = {**meta, "settings": {k: getattr(context, k) or None for k in SETTINGS_KEYS}, "run": stats.done, "resumed": len(done), "failed": stats.failed, "errors": stats.errors,
            "seconds": round(seconds, 3), "workers": workers}
    (out_dir / RUN_INFO).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return EvalResult(out_dir, table, summary, len(convs), stats.done, len(done), stats.failed, seconds, stats.errors)


# --- CLI --------------------------------------------------------------------------------------

def _context(intent, rewrite, chat, critic, t2i, openai_base_url) -> Context:
    from ..agent.config import load_settings

    ctx = load_settings(intent=intent, rewrite=rewrite, critic=critic, openai_base_url=openai_base_url).context()
    return dataclasses.replace(ctx, chat=chat, t2i=t2i)


def _print_result(console: Any, result: EvalResult, title: str) -> None:
    from .report import consistency_lines, rich_table

    console.print(rich_table(result.table, title=title))
    for line in consistency_lines(result.summary.get("consistency", {})):
        console.print(f"  {line}")
    speed = f"{result.n_run} run in {result.seconds:.1f} s ({result.conversations_per_s:.1f} conversations/s)"
    console.print(f"  {result.n_conversations} conversations: {speed}, {result.n_resumed} resumed, {result.n_failed} failed.")
    from ..agent.term import say

    for err in result.errors:
        say(console, "  ", ("failed", "yellow"), " ", err)
    chart = ", cells.png" if (result.out_dir / "cells.png").is_file() else ""
    say(console, f"  Wrote {result.out_dir / PREDICTIONS}, summary.json, report.md{chart}")


def compare_rows(results: dict[str, EvalResult]) -> dict[str, Any]:
    """One-step vs two-step figures (the paper's Table 1 comparison)."""
    out = {}
    for name, res in results.items():
        totals = res.table.scenario_totals()
        out[name] = {
            "avg": res.summary["avg"],
            "turn_mean": res.summary["turn_mean"],
            "scenarios": {s: (round(c.acc, 2) if c.acc is not None else None) for s, c in totals.items()},
        }
    return out


@eval_app.command("modality")
def modality_command(
    data: Path = typer.Option(..., "--data", help="Benchmark JSONL file (shared/benchmark/FORMAT.md)."),
    out: Path = typer.Option(..., "--out", help="Output folder; re-running with the same folder resumes."),
    intent: Optional[str] = typer.Option(None, help="Intent model spec (default: settings, else offline)."),
    rewrite: Optional[str] = typer.Option(None, help="Rewrite model spec (default: settings, else offline)."),
    chat: str = typer.Option("none", help="Chat model spec. Default none: modality accuracy needs no reply text, so skipping it is much faster."),
    critic: Optional[str] = typer.Option(None, help="Critic spec: runs two-step inference (intent, then the critic's check)."),
    t2i: str = typer.Option("none", help="Image model spec; none = prompts only (modality eval needs no pictures)."),
    openai_base_url: Optional[str] = typer.Option(None, help="Base URL of an OpenAI-compatible server."),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N conversations."),
    workers: int = typer.Option(1, min=1, help="Conversations run in parallel (threads); raise it for remote models."),
    compare_critic: bool = typer.Option(False, "--compare-critic", help="With --critic: run one-step and two-step into DIR/one_step and DIR/two_step and compare them (paper Table 1)."),
    no_chart: bool = typer.Option(False, "--no-chart", help="Skip the PNG chart."),
) -> None:
    """Modality-switching accuracy per round x scenario (the paper's Table 3), plus prompt consistency."""
    from rich.console import Console

    console = Console()
    try:
        if compare_critic and not critic:
            raise ConfigError("--compare-critic needs a critic: add --critic offline (or another model spec).")
        if not compare_critic:
            ctx = _context(intent, rewrite, chat, critic, t2i, openai_base_url)
            result = evaluate(data, out, ctx, limit=limit, workers=workers, chart=not no_chart, console=console)
            _print_result(console, result, "Modality switching accuracy (%)" + (" — two-step" if ctx.critic else ""))
            return
        results = {}
        for name, spec in (("one_step", None), ("two_step", critic)):
            ctx = dataclasses.replace(_context(intent, rewrite, chat, critic, t2i, openai_base_url), critic=spec)
            results[name] = evaluate(data, out / name, ctx, limit=limit, workers=workers, chart=not no_chart, console=console)
            _print_result(console, results[name], f"Modality switching accuracy (%) — {name.replace('_', '-')}")
        comparison = compare_rows(results)
        (out / "comparison.json").write_text(json.dumps(comparison, indent=2) + "\n", encoding="utf-8")
        _print_comparison(console, comparison)
    except DialogGenError as exc:
        from ..agent.term import say

        say(console, (str(exc), "red"))
        raise typer.Exit(1)


def _print_comparison(console: Any, comparison: dict[str, Any]) -> None:
    from rich.table import Table

    from .dataset import SCENARIOS

    t = Table(title="One-step vs two-step inference (accuracy %, all rounds)")
    t.add_column("inference")
    for s in SCENARIOS:
        t.add_column(s, justify="right")
    t.add_column("Avg", justify="right")
    t.add_column("turn mean", justify="right")
    for name, row in comparison.items():
        cells = [f"{row['scenarios'][s]:.2f}" if row["scenarios"][s] is not None else "–" for s in SCENARIOS]
        t.add_row(name.replace("_", "-"), *cells, f"{row['avg']}", f"{row['turn_mean']}")
    console.print(t)
