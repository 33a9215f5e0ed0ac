"""Hostile text never reaches the terminal raw, and never crashes the CLI.

Arbitrary text (hypothesis), mixed with rich markup (``[/b]``, ``[/]``, ``[/dim]``), emoji
codes and terminal escape sequences (clear screen, window title OSC, OSC-8 hyperlinks,
colours, 8-bit CSI), goes through every command that prints: ``chat`` interactive and
``--json``, ``/history``, ``/undo``, ``/image`` with a hostile caption and a PNG whose
embedded prompt is hostile, ``--thread NAME``, ``threads`` (plain, ``--json``,
``--search``), ``threads delete`` and the ``eval modality --data 'dir[/]x.jsonl'`` error
path. Every run must end with an exit code (no exception) and print no escape byte.
"""

from __future__ import annotations

import io
import json
import os
import shlex
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dialoggen.agent.app import cli
from dialoggen.agent.term import StreamFilter, clean, json_line

FAKES = ["--intent", "py:fakes:FakeIntent", "--rewrite", "py:fakes:FakeRewriter", "--chat", "py:fakes:FakeChat"]

ESCAPES = [
    "\x1b[2J\x1b[H",  # clear screen, cursor home
    "\x1b]0;pwned\x07",  # window title
    "\x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\",  # OSC-8 hyperlink
    "\x1b[31;1m", "\x1b[0m",  # colours
    "\x9b2J",  # 8-bit CSI
    "\x1bP+q544e\x1b\\",  # DCS
    "\x1b", "\x07", "\r", "\x08", "\x7f", "\u202e",  # lone ESC, bell, CR, backspace, DEL, RTL override
]
MARKUP = ["[/b]", "[/]", "[/dim]", "[bold red]", "[link=http://x]", ":x:", ":thumbs_up:", "\\[", "[", "]", "[/red]"]
# Any text a process can receive (no NUL: argv and file names cannot hold it; no lone surrogates).
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
hostile = st.lists(st.one_of(st.sampled_from(ESCAPES + MARKUP), st.text(alphabet=CHARS, max_size=6)), min_size=1, max_size=6).map("".join)
BAD = ("\x1b", "\x9b", "\x9d", "\x90")


def _no_escape(text: str) -> None:
    for b in BAD:
        assert b not in text, f"escape byte {b!r} in output: {text[:400]!r}"


# -- the filter itself ---------------------------------------------------------------------


@given(hostile)
@example("\x1b]0;title\x07[/b] hi\r\n\x1b[2J:x:")
def test_clean_leaves_no_control_character(text):
    out = clean(text)
    assert all(c in "\n\t" or (ord(c) >= 0x20 and not 0x7F <= ord(c) < 0xA0) for c in out)
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in out)
    assert clean(out) == out


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("\n\téあ猫🦊"), max_size=60))
def test_clean_keeps_ordinary_text(text):
    assert clean(text) == text


def test_clean_removes_whole_sequences():
    assert clean("a\x1b[31mred\x1b[0m b") == "ared b"
    assert clean("\x1b]0;title\x07x") == "x"
    assert clean("\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\") == "link"
    assert clean("[/b] :x: line1\r\nline2\tz") == "[/b] :x: line1\nline2\tz"


@given(hostile, st.lists(st.integers(min_value=0, max_value=60), max_size=8))
def test_stream_filter_matches_clean_however_the_text_is_split(text, cuts):
    cuts = sorted({min(c, len(text)) for c in cuts})
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    f = StreamFilter()
    printed = "".join(f.feed(p) for p in pieces) + f.flush()
    _no_escape(printed)
    assert printed == clean(text) == f.text


@given(hostile)
def test_json_line_keeps_the_text_and_writes_no_control_byte(text):
    line = json_line({"text": text})
    _no_escape(line)
    assert json.loads(line)["text"] == text


# -- every printing command ----------------------------------------------------------------


def _run(args: list[str], env: dict, stdin: str = "", interactive: bool = False, monkeypatch=None) -> tuple[int, str, str]:
    """Run ``dialoggen ARGS`` in this process through ``main()`` (as the console script
    does); returns (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    runner = CliRunner()
    old_argv, old_interactive = sys.argv, cli._interactive
    with runner.isolation(input=stdin, env=env) as (out, err, _):
        sys.argv = ["dialoggen", *args]
        if interactive:
            cli._interactive = lambda json_out: not json_out
        code = 0
        try:
            cli.main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.argv, cli._interactive = old_argv, old_interactive
        return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


def _png(path, prompt: str) -> None:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("dialoggen:prompt", prompt)
    info.add_itxt("Author", prompt)
    Image.new("RGB", (8, 8), (200, 30, 30)).save(path, pnginfo=info)


def _file_name(text: str) -> str:
    name = "".join(c for c in text if c not in "/\x00")[:30]
    return f"x{name}.png" if len(name.encode()) < 200 else "x.png"


@settings(max_examples=int(os.environ.get("DIALOGGEN_HYPOTHESIS_EXAMPLES", "12")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=hostile, name=hostile)
@example(text="[/b] hi \x1b]0;t\x07 :x: \x1b[2J", name="[/dim]")
def test_hostile_text_through_every_printing_command(tmp_path_factory, text, name):
    name = "n" + name  # an empty --thread means "a new thread"
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    env = {"DIALOGGEN_DATA_DIR": str(data), "DIALOGGEN_CONFIG": str(root / "none.toml"), "PYTHONPATH": None}
    png = root / _file_name(text)
    _png(png, text)
    line = text.replace("\n", " ").replace("\r", " ")
    script = "\n".join([
        line,
        "draw " + line,
        f"/image {shlex.quote(str(png))} {shlex.quote(line)}",
        "what is in it? " + line,
        f"/image {shlex.quote(str(png))}",  # caption from the PNG's own (hostile) prompt
        "change the background " + line,
        "/history",
        "/undo",
        "/seed 99999999999999999999",
        "/" + line,
        "",
    ])
    outputs = []
    for args, interactive in (
        (["chat", f"--thread={name}", *FAKES], True),
        (["chat", "--json", f"--thread={name}", *FAKES], False),
        (["chat", f"--thread={name}x", *FAKES], False),
    ):
        code, out, err = _run(args, env, script, interactive=interactive)
        outputs.append((args, code, out, err))
        assert code in (0, 1), (args, code, out, err)
        _no_escape(out + err)
        assert "Traceback" not in out + err
    # Scripted runs with a failed command exit 1; the interactive run exits 0.
    assert [o[1] for o in outputs] == [0, 1, 1]
    rows = [json.loads(x) for x in outputs[1][2].splitlines() if x.strip()]
    sent = [m.strip() for m in script.splitlines() if m.strip() and not m.strip().startswith("/")]
    for r in rows:  # JSON keeps the text itself, escape sequences and all
        if r.get("text"):
            assert any(r["text"].startswith("echo: " + m) for m in sent), r
    assert any("0 to 18446744073709551615" in r.get("error", "") for r in rows)

    for args in (["threads"], ["threads", "--json"], ["threads", "--all"], ["threads", "--search", line[:5] or "x"],
                 ["threads", "delete", f"{name}x", "--yes"],
                 ["eval", "modality", "--data", str(root / f"dir[/]{_file_name(text)}.jsonl"), "--out", str(root / "eval")]):
        code, out, err = _run(args, env)
        assert "Traceback" not in out + err, (args, out, err)
        _no_escape(out + err)
        if args == ["threads", "--json"]:
            listed = [json.loads(x)["thread"] for x in out.splitlines() if x.strip()]
            assert name in listed and f"{name}x" in listed
        if args[0] == "eval":
            assert code != 0 and "No benchmark file" in err + out


def test_streamed_tokens_print_once_through_the_filter(monkeypatch):
    """Interactive mode prints ``{"token": ...}`` events as they arrive (filtered, escape
    sequences split across tokens included) and does not print the reply again."""
    from dialoggen.agent.term import console

    buf = io.StringIO()
    monkeypatch.setattr(cli, "out", console(file=buf))
    reply = "Hi \x1b]0;pwned\x07there [/b] :x:\x1b[2J done"
    pieces = ["Hi \x1b]0;pw", "ned\x07the", "re [/b] :x:\x1b", "[2J done"]

    class FakeSession:
        thread_id = "t"

        def stream(self, text, attachment=None):
            for p in pieces:
                yield {"token": p}
            yield {"turn": {"turn": 1, "user": text, "modality": "text", "confidence": 0.9, "reply": reply}}

    shown = cli._Shown()
    record = cli._run_turn(FakeSession(), "hello", None, True, shown)
    cli._show(record, FakeSession(), False, shown)
    printed = buf.getvalue()
    _no_escape(printed)
    assert printed.count("there [/b] :x: done") == 1  # streamed once, not repeated
    assert "[text 0.90]" in printed and "pwned" not in printed


def test_streamed_reply_changed_afterwards_shows_the_final_one(monkeypatch):
    from dialoggen.agent.term import console

    buf = io.StringIO()
    monkeypatch.setattr(cli, "out", console(file=buf))

    class FakeSession:
        thread_id = "t"

        def stream(self, text, attachment=None):
            yield {"token": "a draft"}
            yield {"turn": {"turn": 1, "user": text, "modality": "text", "confidence": 0.5, "reply": "the corrected reply"}}

    shown = cli._Shown()
    cli._show(cli._run_turn(FakeSession(), "x", None, True, shown), FakeSession(), False, shown)
    assert "a draft" in buf.getvalue() and "final reply: the corrected reply" in buf.getvalue()


def test_without_token_events_the_reply_prints_whole(monkeypatch):
    from dialoggen.agent.term import console

    buf = io.StringIO()
    monkeypatch.setattr(cli, "out", console(file=buf))

    class FakeSession:
        thread_id = "t"

        def stream(self, text, attachment=None):
            yield {"turn": {"turn": 1, "user": text, "modality": "text", "confidence": 0.5, "reply": "[/] whole \x1b[31mreply"}}

    shown = cli._Shown()
    cli._show(cli._run_turn(FakeSession(), "x", None, True, shown), FakeSession(), False, shown)
    assert buf.getvalue().count("[/] whole reply") == 1


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_real_terminal_session_gets_no_injected_sequence(tmp_path):
    """The real interactive path (stdin and stdout a pseudo-terminal): a reply echoing
    escape sequences is shown without them."""
    import pty
    import select
    import subprocess
    import time
    from pathlib import Path

    tests = Path(__file__).parent
    env = {**os.environ, "PYTHONPATH": str(tests), "DIALOGGEN_DATA_DIR": str(tmp_path), "DIALOGGEN_CONFIG": str(tmp_path / "none.toml"),
           "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200"}
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", "from dialoggen.agent.app.cli import main; main()", "chat", "--thread", "[/dim]", *FAKES],
                            stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    os.write(leader, b"hi \x1b]0;pwned\x07[/b] \x1b[2J:x:\n/history\n/quit\n")
    chunks, deadline = [], time.time() + 120
    while time.time() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(leader)
    text = b"".join(chunks).decode("utf-8", "replace")
    # What the terminal echoes back of our own typing is the tty's business, not ours: look
    # at the assistant's lines only.
    shown = [ln for ln in text.splitlines() if "echo:" in ln or "text:" in ln or "you:" in ln]
    assert shown, text
    for ln in shown:
        _no_escape(ln)
        assert "[/b]" in ln and ":x:" in ln and "pwned" not in ln
    assert proc.returncode == 0 and "Traceback" not in text
