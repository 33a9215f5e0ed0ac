"""The ``dialoggen`` command line (typer + rich).

``dialoggen chat`` holds a conversation (interactive, or one message per line from a
pipe, ``--json`` for one JSON object per turn; scripted runs exit 1 when a turn failed);
``dialoggen threads`` lists saved conversations a page at a time (``--search``, ``--json``,
``threads delete NAME``); ``dialoggen bench|eval|data`` build and score benchmarks (loaded
on first use). Heavy libraries load only when a model is used, so ``dialoggen --help`` is
instant. Every print goes through :mod:`dialoggen.agent.term` (escape sequences and control characters
removed, markup and emoji codes shown literally).
"""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from typer.core import TyperGroup

from ..errors import ConfigError, DialogGenError
from ..term import StreamFilter, clean, console, first_line, json_line, quiet_third_party, say, styled

#: Sub-apps that live in ``dialoggen.evals`` and are imported only when used (listing
#: threads or chatting should not pay for loading every benchmark module).
_LAZY_APPS = ("bench", "eval", "data")


class _Group(TyperGroup):
    """The root command group: ``bench``, ``eval`` and ``data`` load on first use."""

    def list_commands(self, ctx):  # noqa: D102
        return [*super().list_commands(ctx), *(n for n in _LAZY_APPS if n not in self.commands)]

    def get_command(self, ctx, name):  # noqa: D102
        cmd = super().get_command(ctx, name)
        if cmd is None and name in _LAZY_APPS:
            from ...evals import cli as evals_cli

            cmd = typer.main.get_group(getattr(evals_cli, f"{name}_app"))
            cmd.name = name
            self.commands[name] = cmd
        return cmd

from ...evals.train.sft import train_command
from .doctor import doctor as _doctor

app = typer.Typer(
    name="dialoggen",
    cls=_Group,
    help="Multi-turn dialogue for text-to-image generation: chat, draw, edit, evaluate.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)

#: Largest seed the text-to-image stack accepts (``torch.Generator.manual_seed``: 0 <= seed < 2**64).
MAX_SEED = 2**64 - 1


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("dialoggen")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree
            v = "(not installed)"
        say(out, f"dialoggen {v}")
        raise typer.Exit()


@app.callback()
def _root(
    config: Optional[Path] = typer.Option(None, "--config", help="TOML config file (default ~/.config/dialoggen/config.toml)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Multi-turn dialogue for text-to-image generation: chat, draw, edit, evaluate."""
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"No config file at {config}: give the path of a TOML file, or leave --config out.")
        os.environ["DIALOGGEN_CONFIG"] = str(config)


out = console()
err = console(stderr=True)

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


def _check_seed(seed: Optional[int]) -> Optional[int]:
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise ConfigError(f"The seed must be a whole number from 0 to {MAX_SEED} (what the image model accepts), not {seed}.")
    return seed


def _data_dir(path: Any, *, write: bool = True) -> Path:
    """The data dir, checked: a folder (created if missing) that can be written to."""
    import tempfile

    p = Path(path).expanduser()
    if p.exists() and not p.is_dir():
        raise ConfigError(f"The data dir {p} is not a folder: give --data-dir (or DIALOGGEN_DATA_DIR) a folder.")
    if not write:
        parent = next((q for q in p.absolute().parents if q.exists()), None)
        if parent is not None and not parent.is_dir():
            raise ConfigError(f"The data dir {p} cannot exist: {parent} is a file, not a folder; give --data-dir a folder.")
        return p
    try:
        p.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=p, prefix=".write-test-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ConfigError(
            f"Cannot write to the data dir {p} ({exc.strerror or type(exc).__name__}): give --data-dir a folder you can write to."
        ) from None
    return p


def _data_dir_setting(flag: Optional[Path]) -> Path:
    """The data dir alone: the flag, else ``DIALOGGEN_DATA_DIR``, else the config file's,
    else the default. Loads (and validates) every setting only when a config file exists,
    so listing threads starts fast."""
    if flag is not None:
        return Path(flag).expanduser()
    from ..context import default_config_file, default_data_dir

    if os.environ.get("DIALOGGEN_DATA_DIR") or not default_config_file().is_file():
        return default_data_dir()
    return Path(_settings().data_dir).expanduser()


def _complete_thread(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of thread names from the index (quietly nothing on any error)."""
    try:
        from ...tools.thread_index import thread_names

        return thread_names(_data_dir_setting(ctx.params.get("data_dir")), incomplete)
    except Exception:
        return []


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
    thread: Optional[str] = typer.Option(None, "--thread", "-t", help="Thread name: resumes it if it exists.", autocompletion=_complete_thread),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object per turn."),
    intent: Optional[str] = SpecOpt(None, help="Intent model spec: offline | openai:MODEL | hf:PATH_OR_HUB_ID."),
    rewrite: Optional[str] = SpecOpt(None, help="Rewrite model spec (same forms)."),
    chat_model: Optional[str] = SpecOpt(None, "--chat", help="Chat model spec (same forms, or none)."),
    critic: Optional[str] = SpecOpt(None, help="Critic spec (offline | openai:MODEL | hf:...); off when unset."),
    t2i: Optional[str] = SpecOpt(None, help="Text-to-image: diffusers:PATH_OR_HUB_ID or none (prompt-only)."),
    openai_base_url: Optional[str] = SpecOpt(None, help="Base URL of an OpenAI-compatible server (vLLM, Ollama, llama.cpp)."),
    data_dir: Optional[Path] = SpecOpt(None, help="Where threads and images are kept."),
    seed: Optional[int] = SpecOpt(None, help=f"Seed for this thread's pictures (0 to {MAX_SEED})."),
    strength: Optional[float] = SpecOpt(None, help="Image-to-image strength for edits (0-1)."),
    steps: Optional[int] = SpecOpt(None, help="Denoising steps."),
    prompt_lang: Optional[str] = SpecOpt(None, "--prompt-lang", help="Language the T2I model draws from: en, zh or auto (the model's own)."),
    trace: Optional[str] = SpecOpt(None, help="OpenTelemetry traces: otlp[:ENDPOINT] or file:PATH."),
    db: Optional[str] = SpecOpt(None, "--db", help="Keep conversations in PostgreSQL: postgresql://USER@HOST/DB (password from PGPASSWORD or ~/.pgpass)."),
    llm_timeout: Optional[float] = SpecOpt(None, help="Seconds one LLM call may take in all; then it fails as timed out (never retried)."),
    llm_retries: Optional[int] = SpecOpt(None, help="Retries of an LLM call refused, unreachable, rate-limited or failing (5xx)."),
) -> None:
    """Talk to the assistant: it answers in words or draws, and edits its last picture.

    With stdin not a terminal it reads one message per line and exits 1 if any turn or
    command failed."""
    quiet_third_party()
    _check_seed(seed)
    settings = _settings(
        intent=intent, rewrite=rewrite, chat=chat_model, critic=critic, t2i=t2i, openai_base_url=openai_base_url,
        data_dir=None if data_dir is None else str(data_dir), img2img_strength=strength, steps=steps,
        prompt_lang=prompt_lang, trace=trace, db=db, llm_timeout=llm_timeout, llm_retries=llm_retries,
    )
    ctx = settings.context()
    _data_dir(ctx.data_dir)
    interactive = _interactive(json_out)
    info = out if interactive else err
    for line in _describe(ctx):
        say(info, (line, "dim"))
    # The graph, checkpointer and intent model load in the background: the prompt shows at once.
    from .session import new_thread_id

    thread = thread or new_thread_id()
    loading = _Loading(ctx, thread, seed, warm_chat=interactive)
    known = _known_turns(ctx, thread)
    say(info, (f"thread {thread}" + (f" · resumed with {known} turns" if known else ""), "dim"))
    if interactive:
        say(out, (SLASH_HELP, "dim"))
    attachment = None
    session = None
    failed = 0
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
                failed += 1
                _say_error(exc, json_out, session)
                continue
            if result == "quit":
                break
            if isinstance(result, dict):
                attachment = result
            elif isinstance(result, type(session)):
                session, attachment = result, None
            continue
        shown = _Shown()
        try:
            record = _run_turn(session, line, attachment, interactive, shown)
        except KeyboardInterrupt:
            failed += 1
            shown.end()
            _say_error(DialogGenError("Stopped: this turn was not recorded; earlier turns are kept."), json_out, session)
            continue
        except DialogGenError as exc:
            failed += 1
            shown.end()
            _say_error(exc, json_out, session)
            continue
        except Exception as exc:  # never a traceback for a turn; the thread is rolled back
            failed += 1
            shown.end()
            detail = first_line(str(exc)) or "no detail"
            if _storage_error(exc):  # the data dir, not the models
                msg = f"The turn could not be saved ({type(exc).__name__}: {detail}); nothing was recorded: check that the data dir {ctx.data_dir} is writable and has free space."
            else:
                msg = f"The turn failed ({type(exc).__name__}: {detail}); nothing was recorded: check the model settings and try again."
            _say_error(DialogGenError(msg), json_out, session)
            continue
        attachment = None
        _show(record, session, json_out, shown)
    if failed and not interactive:
        raise typer.Exit(1)


def _storage_error(exc: BaseException) -> bool:
    """Did writing the data dir fail (full disk, read-only, too large), not a model?"""
    import errno

    disk = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EDQUOT, errno.EIO}
    return isinstance(exc, sqlite3.Error) or (isinstance(exc, OSError) and exc.errno in disk)


def _interactive(json_out: bool) -> bool:
    """A person at a terminal (prompt, progress, streamed tokens), else scripted use."""
    return sys.stdin.isatty() and not json_out


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
    from ...tools.thread_index import thread_info

    row = thread_info(ctx.data_dir, thread)
    return int(row.get("turns") or 0) if row else 0


def _read(interactive: bool) -> Optional[str]:
    if interactive:
        return out.input(styled(("you>", "bold cyan"), " "))
    line = sys.stdin.readline()
    return None if line == "" else line


class _Shown:
    """What was printed of a reply while it streamed (so it is not printed twice)."""

    def __init__(self) -> None:
        self.filter: Optional[StreamFilter] = None
        self.open = False  # a streamed line waits for its end

    def token(self, piece: str) -> None:
        if self.filter is None:
            self.filter = StreamFilter()
            say(out, ("assistant", "bold green"), " ", end="")
            self.open = True
        text = self.filter.feed(piece)
        if text:
            say(out, text, end="")

    @property
    def text(self) -> Optional[str]:
        return None if self.filter is None else self.filter.text

    def end(self, *parts) -> None:
        """End the streamed line (with ``parts`` after it); nothing when none is open."""
        if self.open:
            self.open = False
            say(out, self.filter.flush(), *parts)


def _run_turn(session, text: str, attachment, interactive: bool, shown: Optional[_Shown] = None):
    """Run one turn. Interactive: a progress bar while drawing and reply tokens printed as
    they arrive (through the output filter); scripted: events are ignored."""
    if not interactive:
        return session.send(text, attachment=attachment)
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    progress = None
    task = None
    record = None
    spinner = None  # "loading chat model" / "writing reply" until the first token shows
    try:
        for event in session.stream(text, attachment=attachment):
            if "status" in event and isinstance(event["status"], str):
                if spinner is None:
                    spinner = out.status(clean(event["status"]), spinner="dots")
                    spinner.start()
                else:
                    spinner.update(clean(event["status"]))
                continue
            if spinner is not None:
                spinner.stop()
                spinner = None
            if "token" in event:
                if shown is not None and isinstance(event["token"], str):
                    shown.token(event["token"])
            elif "t2i" in event:
                step, total = event["t2i"]["step"], event["t2i"]["total"]
                if progress is None:
                    progress = Progress(TextColumn("drawing"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeRemainingColumn(), console=out, transient=True)
                    progress.start()
                    task = progress.add_task("draw", total=total)
                progress.update(task, completed=step, total=total)
            elif "turn" in event:
                record = event["turn"]
    finally:
        if spinner is not None:
            spinner.stop()
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
        "drawing": record.get("draw_text"),
        "drawing_lang": record.get("draw_lang"),
        "drawing_source": record.get("draw_source"),
        "changed": [c["part"] for c in record.get("prompt_diff") or []],
        "image": image["path"] if image else None,
        "seed": record.get("seed"),
        "critic": record.get("critic"),
        "notice": record.get("notice"),
    }


def _write_json(obj: Any) -> None:
    sys.stdout.write(json_line(obj) + "\n")
    sys.stdout.flush()


def _show(record: dict, session, json_out: bool, shown: Optional[_Shown] = None) -> None:
    if json_out:
        _write_json(_turn_json(record, session))
        return
    conf = record.get("confidence")
    tag = f"[{record['modality']}" + (f" {conf:.2f}" if conf is not None else "") + "]"
    critic = record.get("critic")
    if shown is not None and shown.open:
        shown.end(*(("  ", (tag, "dim")) if record["modality"] == "text" else ()))
        streamed = shown.text or ""
        if record["modality"] == "text" and streamed.strip() != clean(record.get("reply") or "").strip():
            # the critic (or a guard) changed the streamed reply: show the one that was kept
            say(out, "  ", ("final reply:", "dim"), " ", record.get("reply") or "")
    elif record["modality"] == "text":
        say(out, ("assistant", "bold green"), " ", (tag, "dim"), " ", record.get("reply") or "")
    if record["modality"] != "text":
        say(out, ("assistant", "bold magenta"), " ", (tag, "dim"), " drawing prompt: ", record.get("prompt_text") or "")
        from .session import drawn_from

        label = drawn_from(record)
        if label:
            say(out, "  ", (label, "dim"), " ", record["draw_text"])
        diff = record.get("prompt_diff") or []
        fresh = len(diff) > 1 and not any(c["before"] for c in diff)  # a new picture, not an edit
        if not fresh:
            for change in diff:
                verb = "added" if not change["before"] else "removed" if not change["after"] else "changed"
                say(out, "  ", (f"{verb} {change['part']}:", "dim"), " ", repr(change["before"]), " → ", repr(change["after"]))
        image = record.get("image")
        say(out, "  ", ("image:", "dim"), " ", image["path"] if image else "(not drawn)", "  ", ("seed:", "dim"), " ", str(record.get("seed")))
    if critic and not critic.get("ok"):
        say(out, "  ", (f"critic ({critic.get('critic')}): rule '{critic.get('rule')}' — {critic.get('reason')}; corrected.", "yellow"))
    if record.get("notice"):
        say(out, "  ", (record["notice"], "yellow"))


def _say_error(exc: Exception, json_out: bool, session) -> None:
    if json_out:
        _write_json({"thread": session.thread_id, "error": str(exc)})
    say(err, (str(exc), "red"))


def _slash(line: str, session, info, json_out: bool):
    try:
        parts = shlex.split(line)
    except ValueError:
        raise DialogGenError("Could not read that command (unbalanced quotes): try /image PATH \"caption\".") from None
    cmd, args = parts[0].lower(), parts[1:]
    if cmd in ("/quit", "/exit"):
        return "quit"
    if cmd == "/help":
        say(info, SLASH_HELP)
    elif cmd == "/undo":
        removed = session.undo()
        say(info, f"Removed turn {removed['turn']}: {removed['user']!r}." if removed else "Nothing to undo.")
    elif cmd == "/new":
        from .session import Session

        new = Session(session.context, checkpointer=session.checkpointer)
        say(info, f"New thread {new.thread_id}.")
        return new
    elif cmd == "/seed":
        if len(args) != 1 or not re.fullmatch(r"-?[0-9]+", args[0]):
            raise DialogGenError("Give the seed as a whole number: /seed 1234.")
        seed = _check_seed(int(args[0]))
        session.set_seed(seed)
        say(info, f"Seed {seed} from the next picture on.")
    elif cmd == "/image":
        if not args:
            raise DialogGenError("Give the image's path: /image PATH \"optional caption\".")
        ref = session.attach(args[0], caption=" ".join(args[1:]) or None)
        say(info, f"Attached {Path(args[0]).name} to your next message" + (f" (caption: {ref['caption']})" if ref.get("caption") else " (no caption)") + ".")
        return ref
    elif cmd == "/history":
        turns = session.turns()
        if json_out:
            for t in turns:
                _write_json(_turn_json(t, session))
        for t in turns if not json_out else []:
            what = t.get("reply") if t["modality"] == "text" else t.get("prompt_text")
            say(info, (f"{t['turn']}.", "dim"), " ", ("you:", "cyan"), " ", t["user"], "\n   ", (f"{t['modality']}:", "green"), " ", what or "")
        if not turns:
            say(info, "No turns yet.")
    else:
        raise DialogGenError(f"Unknown command {cmd}: type /help for the list.")
    return None


threads_app = typer.Typer(
    help="List saved conversations, newest first (a page at a time); `threads delete NAME` removes one.",
)
app.add_typer(threads_app, name="threads")
app.command("doctor")(_doctor)
app.command("train")(train_command)

#: Threads shown per page unless --limit or --all says otherwise.
PAGE = 20


@threads_app.callback(invoke_without_command=True)
def threads(
    ctx: typer.Context,
    data_dir: Optional[Path] = typer.Option(None, help="Where threads and images are kept."),
    limit: int = typer.Option(PAGE, "--limit", "-n", min=1, help="Threads per page."),
    page: int = typer.Option(1, "--page", "-p", min=1, help="Which page (1 = the most recent threads)."),
    all_: bool = typer.Option(False, "--all", "-a", help="Every thread, no paging."),
    search: Optional[str] = typer.Option(None, "--search", "-s", help="Only threads whose name, first message, or a picture's prompt or caption contains this text."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object per thread (thread, title, turns, created, updated)."),
    db: Optional[str] = typer.Option(None, "--db", help="The PostgreSQL database the conversations are kept in (as for chat --db)."),
) -> None:
    """List saved conversations, most recent first, a page at a time."""
    ctx.obj = {"data_dir": data_dir}
    if ctx.invoked_subcommand is not None:
        return
    root = _data_dir(_data_dir_setting(data_dir), write=False)
    offset = 0 if all_ else (page - 1) * limit
    db = db or os.environ.get("DIALOGGEN_DB")
    if db and db.split(":", 1)[0].lower() in ("postgresql", "postgres"):
        from .session import list_threads

        found = [r for r in list_threads(str(root), db) if not search or any(search.lower() in str(r.get(k) or "").lower() for k in ("thread_id", "title"))]
        total = len(found)
        rows = found if all_ else found[offset : offset + limit]
    else:
        from ...tools.thread_index import count_threads, find_threads

        rows = find_threads(root, search=search, limit=None if all_ else limit, offset=offset)
        total = len(rows) if all_ else count_threads(root, search) if (len(rows) == limit or offset) else offset + len(rows)
    if json_out:
        for r in rows:
            _write_json({"thread": r["thread_id"], "title": r["title"], "turns": r["turns"], "created": r["created"], "updated": r["updated"]})
        return
    note = out if out.is_terminal else err
    if not rows:
        if search:
            say(note, f"No conversation matches {search!r}" + (f" on page {page}" if offset else "") + ".")
        elif offset:
            say(note, f"Page {page} is past the last thread ({total} in all).")
        else:
            say(note, "No conversations yet: start one with dialoggen chat.")
        return
    from rich.table import Table

    table = Table("thread", "turns", "updated", "first message")
    for r in rows:
        table.add_row(*(_cell(v) for v in (r["thread_id"], r.get("turns", ""), str(r.get("updated") or "")[:19].replace("T", " "), r.get("title") or "")))
    out.print(table)
    if not all_ and total > len(rows):
        last = offset + len(rows)
        say(note, (f"Threads {offset + 1}-{last} of {total}" + (f" matching {search!r}" if search else "") + ", most recent first"
                   + (f": --page {page + 1} for more" if last < total else "") + ", --all for every one.", "dim"))


def _cell(value: Any):
    return styled(str(value if value is not None else ""))


@threads_app.command("delete")
def threads_delete(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The thread's name (as `dialoggen threads` lists it).", autocompletion=_complete_thread),
    data_dir: Optional[Path] = typer.Option(None, help="Where threads and images are kept."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete a conversation: its checkpoints, its index rows and the pictures no other thread uses."""
    from ...tools.thread_index import delete_thread_rows, thread_info

    data_dir = data_dir or (ctx.obj or {}).get("data_dir")
    root = _data_dir(_data_dir_setting(data_dir))
    row = thread_info(root, name)
    checkpoints = root / "checkpoints.db"
    saver = None
    if checkpoints.is_file():
        from ...graphs import open_checkpointer

        saver = open_checkpointer(str(root))
    has_checkpoints = saver is not None and saver.get_tuple({"configurable": {"thread_id": name, "checkpoint_ns": ""}}) is not None
    if row is None and not has_checkpoints:
        raise DialogGenError(f"No thread named {name!r} in {root}: `dialoggen threads` lists them.")
    if not yes:
        if not sys.stdin.isatty():
            raise DialogGenError(f"Deleting thread {name!r} needs confirmation: add --yes.")
        what = f"{row['turns']} turns, first message {row['title']!r}" if row else "no index row"
        say(out, f"Delete thread {name!r} ({what})? [y/N] ", end="")
        if input().strip().lower() not in ("y", "yes"):
            say(out, "Kept.")
            return
    if saver is not None:
        saver.delete_thread(name)
    gone = delete_thread_rows(root, name)
    images = (root / "images").resolve()
    removed = 0
    for path in gone["orphans"]:
        p = Path(path)
        try:
            if p.resolve().is_relative_to(images):  # only files of our own store
                p.unlink(missing_ok=True)
                removed += 1
        except OSError:
            pass
    kept = f", {gone['kept']} kept (other threads use them)" if gone["kept"] else ""
    say(out, f"Deleted thread {name!r}: its checkpoints and index rows, {removed} picture{'s' if removed != 1 else ''} removed{kept}.")


from .web import web  # noqa: E402 - Gradio itself loads only when the command runs

app.command()(web)


@app.command()
def graph() -> None:
    """Print the dialogue graph (nodes and routes) as Mermaid."""
    from ...graphs import build_graph

    say(out, build_graph().get_graph().draw_mermaid())


def main() -> None:
    """Entry point: user errors print one sentence and exit 2, never a traceback."""
    try:
        app()
    except DialogGenError as exc:
        say(err, (str(exc), "red"))
        raise SystemExit(2) from None
    except (OSError, sqlite3.Error) as exc:  # a data dir gone bad under us: full disk, read-only, removed
        detail = getattr(exc, "strerror", None) or first_line(str(exc)) or type(exc).__name__
        say(err, (f"Could not read or write DialogGen's files ({detail}): check that the data dir is a writable folder with free space.", "red"))
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
