"""The ``dialoggen`` command line (typer + rich).

``dialoggen chat`` holds a conversation (interactive, or one message per line from a
pipe, ``--json`` for one JSON object per turn); ``dialoggen threads`` lists saved
conversations; ``dialoggen bench|eval|data`` build and score benchmarks. Heavy libraries
load only when a model is used, so ``dialoggen --help`` is instant.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape

from ...evals.cli import bench_app, data_app, eval_app
from ..errors import DialogGenError
from .doctor import doctor as _doctor

app = typer.Typer(
    name="dialoggen",
    help="Multi-turn dialogue for text-to-image generation: chat, draw, edit, evaluate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    config: Optional[Path] = typer.Option(None, "--config", help="TOML config file (default ~/.config/dialoggen/config.toml)."),
) -> None:
    """Multi-turn dialogue for text-to-image generation: chat, draw, edit, evaluate."""
    import os

    if config is not None:
        if not config.is_file():
            raise DialogGenError(f"No config file at {config}: give the path of a TOML file, or leave --config out.")
        os.environ["DIALOGGEN_CONFIG"] = str(config)


app.add_typer(bench_app, name="bench")
app.add_typer(eval_app, name="eval")
app.add_typer(data_app, name="data")
app.command("doctor")(_doctor)

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

SLASH_HELP = """Commands: /undo (roll back the last turn) · /new (start a new thread) · /seed N (seed for the next pictures) ·
/image PATH ["caption"] (attach an image to your next message) · /history · /help · /quit"""

ROLE_LABELS = {
    ("intent", "offline"): "offline router (sentence embeddings + trained head)",
    ("rewrite", "offline"): "offline rule rewriter",
    ("chat", "offline"): "SmolLM2-135M-Instruct (offline, English only)",
    ("chat", "none"): "off (no reply text)",
    ("critic", "offline"): "offline rule checks",
}

SpecOpt = typer.Option


def _settings(**flags: Any):
    from ..config import load_settings

    return load_settings(**flags)


def _describe(ctx) -> list[str]:
    lines = []
    for role in ("intent", "rewrite", "chat", "critic"):
        spec = getattr(ctx, role)
        lines.append(f"{role}: {'off (--critic SPEC turns it on)' if spec is None else ROLE_LABELS.get((role, spec), spec)}")
    lines.append(
        "t2i: " + ("none — prompt-only mode: drawing prompts are written but not drawn (--t2i diffusers:PATH_OR_HUB_ID draws them)" if ctx.t2i == "none" else ctx.t2i)
    )
    return lines


@app.command()
def chat(
    thread: Optional[str] = typer.Option(None, "--thread", "-t", help="Thread name: resumes it if it exists."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object per turn."),
    intent: Optional[str] = SpecOpt(None, help="Intent model spec: offline | openai:MODEL | hf:PATH_OR_HUB_ID."),
    rewrite: Optional[str] = SpecOpt(None, help="Rewrite model spec (same forms)."),
    chat_model: Optional[str] = SpecOpt(None, "--chat", help="Chat model spec (same forms, or none)."),
    critic: Optional[str] = SpecOpt(None, help="Critic spec (offline | openai:MODEL | hf:...); off when unset."),
    t2i: Optional[str] = SpecOpt(None, help="Text-to-image: diffusers:PATH_OR_HUB_ID or none (prompt-only)."),
    openai_base_url: Optional[str] = SpecOpt(None, help="Base URL of an OpenAI-compatible server (vLLM, Ollama, llama.cpp)."),
    data_dir: Optional[Path] = SpecOpt(None, help="Where threads and images are kept."),
    seed: Optional[int] = SpecOpt(None, help="Seed for this thread's pictures."),
    strength: Optional[float] = SpecOpt(None, help="Image-to-image strength for edits (0-1)."),
    steps: Optional[int] = SpecOpt(None, help="Denoising steps."),
    llm_timeout: Optional[float] = SpecOpt(None, help="Seconds one LLM call may take in all; then it fails as timed out (never retried)."),
    llm_retries: Optional[int] = SpecOpt(None, help="Retries of an LLM call refused, unreachable, rate-limited or failing (5xx)."),
) -> None:
    """Talk to the assistant: it answers in words or draws, and edits its last picture."""
    settings = _settings(
        intent=intent, rewrite=rewrite, chat=chat_model, critic=critic, t2i=t2i, openai_base_url=openai_base_url,
        data_dir=data_dir, img2img_strength=strength, steps=steps, llm_timeout=llm_timeout, llm_retries=llm_retries,
    )
    ctx = settings.context()
    interactive = sys.stdin.isatty() and not json_out
    info = out if interactive else err
    for line in _describe(ctx):
        info.print(f"[dim]{line}[/dim]")
    # The graph, checkpointer and intent model load in the background: the prompt shows at once.
    from .session import new_thread_id

    thread = thread or new_thread_id()
    loading = _Loading(ctx, thread, seed, warm_chat=interactive)
    known = _known_turns(ctx, thread)
    info.print(f"[dim]thread {thread}" + (f" · resumed with {known} turns" if known else "") + "[/dim]")
    if interactive:
        out.print(f"[dim]{SLASH_HELP}[/dim]")
    attachment = None
    session = None
    while True:
        try:
            line = _read(interactive)
        except (EOFError, KeyboardInterrupt):
            break
        if line is None:
            break
        line = line.strip()
        if not line:
            continue
        if session is None:
            session = loading.session()
        if line.startswith("/"):
            try:
                result = _slash(line, session, info, json_out)
            except DialogGenError as exc:
                _say_error(exc, json_out, session)
                continue
            if result == "quit":
                break
            if isinstance(result, dict):
                attachment = result
            elif isinstance(result, type(session)):
                session, attachment = result, None
            continue
        try:
            record = _run_turn(session, line, attachment, interactive, json_out)
        except KeyboardInterrupt:
            _say_error(DialogGenError("Stopped: this turn was not recorded; earlier turns are kept."), json_out, session)
            continue
        except DialogGenError as exc:
            _say_error(exc, json_out, session)
            continue
        except Exception as exc:  # never a traceback for a turn; the thread is rolled back
            _say_error(DialogGenError(f"The turn failed ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'}); nothing was recorded: check the model settings and try again."), json_out, session)
            continue
        attachment = None
        _show(record, session, json_out)


class _Loading:
    """Builds the session (and warms the intent model) on a background thread."""

    def __init__(self, ctx, thread: str, seed: Optional[int], *, warm_chat: bool = False) -> None:
        import threading

        self._warm_chat = warm_chat
        self._result: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._run, args=(ctx, thread, seed), daemon=True)
        self._thread.start()

    @staticmethod
    def _warm(ctx) -> None:
        """Load the offline chat model while the user types (its first load takes a while)."""
        try:
            from ..roles import resolve

            resolve("chat", "offline").load()
        except Exception:  # the first text turn reports it in one sentence
            pass

    def _run(self, ctx, thread, seed) -> None:
        import threading

        try:
            from ..roles import resolve
            from .session import Session

            session = Session(ctx, thread)
            if seed is not None:
                session.set_seed(seed)
            self._result["session"] = session
            try:
                resolve("intent", ctx.intent, openai_base_url=ctx.openai_base_url)
            except Exception:  # reported, in one sentence, by the first turn that needs it
                pass
            if self._warm_chat and ctx.chat == "offline":
                warm = threading.Thread(target=self._warm, args=(ctx,), daemon=True)
                warm.start()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            self._result["error"] = exc

    def session(self):
        self._thread.join()
        if "error" in self._result:
            raise self._result["error"]
        return self._result["session"]


def _known_turns(ctx, thread: str) -> int:
    """How many turns the thread has, from the light thread index (no graph needed)."""
    from ...tools.image_store import ImageStore

    for row in ImageStore(ctx.data_dir).list_threads():
        if row["thread_id"] == thread:
            return int(row.get("turns") or 0)
    return 0


def _read(interactive: bool) -> Optional[str]:
    if interactive:
        return out.input("[bold cyan]you>[/bold cyan] ")
    line = sys.stdin.readline()
    return None if line == "" else line


def _run_turn(session, text: str, attachment, interactive: bool, json_out: bool):
    if not interactive:
        return session.send(text, attachment=attachment)
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    progress = None
    task = None
    record = None
    try:
        for event in session.stream(text, attachment=attachment):
            if "t2i" in event:
                step, total = event["t2i"]["step"], event["t2i"]["total"]
                if progress is None:
                    progress = Progress(TextColumn("drawing"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeRemainingColumn(), console=out, transient=True)
                    progress.start()
                    task = progress.add_task("draw", total=total)
                progress.update(task, completed=step, total=total)
            elif "turn" in event:
                record = event["turn"]
    finally:
        if progress is not None:
            progress.stop()
    return record


def _turn_json(record: dict, session) -> dict:
    image = record.get("image")
    return {
        "thread": session.thread_id,
        "turn": record["turn"],
        "modality": record["modality"],
        "confidence": record.get("confidence"),
        "text": record.get("reply") if record["modality"] == "text" else None,
        "prompt": record.get("prompt_text"),
        "changed": [c["part"] for c in record.get("prompt_diff") or []],
        "image": image["path"] if image else None,
        "seed": record.get("seed"),
        "critic": record.get("critic"),
        "notice": record.get("notice"),
    }


def _show(record: dict, session, json_out: bool) -> None:
    if json_out:
        sys.stdout.write(json.dumps(_turn_json(record, session), ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    conf = record.get("confidence")
    tag = escape(f"[{record['modality']}" + (f" {conf:.2f}" if conf is not None else "") + "]")
    critic = record.get("critic")
    if record["modality"] == "text":
        out.print(f"[bold green]assistant[/bold green] [dim]{tag}[/dim] {escape(record.get('reply') or '')}")
    else:
        out.print(f"[bold magenta]assistant[/bold magenta] [dim]{tag}[/dim] drawing prompt: {escape(record.get('prompt_text') or '')}")
        diff = record.get("prompt_diff") or []
        fresh = len(diff) > 1 and not any(c["before"] for c in diff)  # a new picture, not an edit
        if not fresh:
            for change in diff:
                verb = "added" if not change["before"] else "removed" if not change["after"] else "changed"
                out.print(f"  [dim]{verb} {change['part']}:[/dim] {escape(repr(change['before']))} → {escape(repr(change['after']))}")
        image = record.get("image")
        out.print(f"  [dim]image:[/dim] {image['path'] if image else '(not drawn)'}  [dim]seed:[/dim] {record.get('seed')}")
    if critic and not critic.get("ok"):
        out.print(f"  [yellow]critic ({critic.get('critic')}): rule '{critic.get('rule')}' — {escape(str(critic.get('reason')))}; corrected.[/yellow]")
    if record.get("notice"):
        out.print(f"  [yellow]{escape(record['notice'])}[/yellow]")


def _say_error(exc: Exception, json_out: bool, session) -> None:
    if json_out:
        sys.stdout.write(json.dumps({"thread": session.thread_id, "error": str(exc)}, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    err.print(f"[red]{escape(str(exc))}[/red]")


def _slash(line: str, session, info: Console, json_out: bool):
    try:
        parts = shlex.split(line)
    except ValueError:
        raise DialogGenError("Could not read that command (unbalanced quotes): try /image PATH \"caption\".") from None
    cmd, args = parts[0].lower(), parts[1:]
    if cmd in ("/quit", "/exit"):
        return "quit"
    if cmd == "/help":
        info.print(SLASH_HELP)
    elif cmd == "/undo":
        removed = session.undo()
        info.print(f"Removed turn {removed['turn']}: {removed['user']!r}." if removed else "Nothing to undo.")
    elif cmd == "/new":
        from .session import Session

        new = Session(session.context, checkpointer=session.checkpointer)
        info.print(f"New thread {new.thread_id}.")
        return new
    elif cmd == "/seed":
        if len(args) != 1 or not args[0].lstrip("-").isdigit():
            raise DialogGenError("Give the seed as a whole number: /seed 1234.")
        session.set_seed(int(args[0]))
        info.print(f"Seed {int(args[0])} from the next picture on.")
    elif cmd == "/image":
        if not args:
            raise DialogGenError("Give the image's path: /image PATH \"optional caption\".")
        ref = session.attach(args[0], caption=" ".join(args[1:]) or None)
        info.print(f"Attached {Path(args[0]).name} to your next message" + (f" (caption: {ref['caption']})" if ref.get("caption") else " (no caption)") + ".")
        return ref
    elif cmd == "/history":
        turns = session.turns()
        if json_out:
            for t in turns:
                sys.stdout.write(json.dumps(_turn_json(t, session), ensure_ascii=False) + "\n")
        for t in turns if not json_out else []:
            what = t.get("reply") if t["modality"] == "text" else t.get("prompt_text")
            info.print(f"[dim]{t['turn']}.[/dim] [cyan]you:[/cyan] {escape(t['user'])}\n   [green]{t['modality']}:[/green] {escape(what or '')}")
        if not turns:
            info.print("No turns yet.")
    else:
        raise DialogGenError(f"Unknown command {cmd}: type /help for the list.")
    return None


@app.command()
def threads(data_dir: Optional[Path] = typer.Option(None, help="Where threads and images are kept.")) -> None:
    """List saved conversations, newest first."""
    from rich.table import Table

    from .session import list_threads

    settings = _settings(data_dir=data_dir)
    rows = list_threads(str(settings.data_dir))
    if not rows:
        out.print("No conversations yet: start one with dialoggen chat.")
        return
    table = Table("thread", "turns", "updated", "first message")
    for r in rows:
        table.add_row(str(r["thread_id"]), str(r.get("turns", "")), str(r.get("updated", ""))[:19], str(r.get("title", "")))
    out.print(table)


@app.command()
def graph() -> None:
    """Print the dialogue graph (nodes and routes) as Mermaid."""
    from ...graphs import build_graph

    out.print(build_graph().get_graph().draw_mermaid(), markup=False)


def main() -> None:
    """Entry point: user errors print one sentence and exit 2, never a traceback."""
    try:
        app()
    except DialogGenError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
