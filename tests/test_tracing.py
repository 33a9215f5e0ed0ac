"""--trace file:PATH: OpenInference spans for every node and model call, written as JSON
lines, with no image bytes, API key or base-URL credential in any span."""

from __future__ import annotations

import json

import pytest
from langgraph.checkpoint.memory import InMemorySaver

pytest.importorskip("openinference.instrumentation.langchain")

from dialoggen.agent import tracing  # noqa: E402
from dialoggen.agent.context import Context  # noqa: E402
from dialoggen.agent.errors import ConfigError  # noqa: E402
from dialoggen.graphs import build_graph  # noqa: E402
from fake_chat import FakeOpenAIServer  # noqa: E402

SECRET = "sk-test-0123456789abcdef-NEVER-LOG"
URL_PASSWORD = "pw-in-the-url-4242"


@pytest.fixture
def traced(tmp_path):
    path = tmp_path / "traces" / "spans.jsonl"
    provider = tracing.setup_tracing(f"file:{path}")
    yield path, provider
    tracing.shutdown_tracing()


def spans(path, provider):
    provider.force_flush()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_trace_spec_is_parsed_or_refused():
    assert tracing.parse_trace("otlp") == ("otlp", None)
    assert tracing.parse_trace("otlp:http://localhost:6006") == ("otlp", "http://localhost:6006")
    assert tracing.parse_trace("file:/tmp/x.jsonl") == ("file", "/tmp/x.jsonl")
    for bad in ("jaeger", "file:", ""):
        with pytest.raises(ConfigError):
            tracing.parse_trace(bad)


def test_scrub_removes_credentials_and_base64():
    text = f"http://bob:{URL_PASSWORD}@host/v1 data:image/png;base64,{'A' * 300} key {SECRET}"
    clean = tracing.scrub(text, [SECRET])
    assert URL_PASSWORD not in clean and SECRET not in clean and "AAAA" not in clean and "http://[redacted]@host/v1" in clean


def test_file_trace_has_node_and_model_spans_and_no_secrets(traced, fake_roles, tmp_path, monkeypatch):
    from PIL import Image

    from dialoggen.tools.image_store import ImageStore

    path, provider = traced
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    picture = tmp_path / "cat.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(picture)
    data_dir = tmp_path / "data"
    ref = ImageStore(str(data_dir)).attach(picture, caption="a red square", thread_id="t")
    graph = build_graph(InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    with FakeOpenAIServer(["It is a red square."]) as server:
        base = server.base_url.replace("http://", f"http://bob:{URL_PASSWORD}@")
        # a vision model name: the attached picture itself goes to the model (as base64)
        ctx = Context(intent="fake", rewrite="fake", chat="openai:fake-vl", t2i="none", data_dir=str(data_dir), openai_base_url=base)
        from dialoggen.agent import roles

        for name in ("intent", "rewrite"):
            roles.register(name, "fake", fake_roles[name], openai_base_url=base)
        graph.invoke({"messages": [("user", "draw a red fox")]}, cfg, context=ctx)
        out = graph.invoke({"messages": [("user", "what is in this photo?")], "attachment": ref}, cfg, context=ctx)
    assert out["last_turn"]["reply"] == "It is a red square."
    sent = json.dumps(server.requests[-1][1])
    assert "base64" in sent or "image_url" in sent  # the model did get the picture's bytes

    found = spans(path, provider)
    names = [s["name"] for s in found]
    for node in ("intent", "rewrite", "t2i", "chat"):
        assert node in names, names
    model_spans = [s for s in found if s["attributes"].get("openinference.span.kind") == "LLM"]
    assert model_spans and any("fake-vl" in json.dumps(s["attributes"]) for s in model_spans)
    assert any("It is a red square." in json.dumps(s["attributes"]) for s in model_spans)
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text and URL_PASSWORD not in text
    assert "iVBORw0KGgo" not in text  # no PNG bytes (base64 of the PNG signature)
    import base64

    raw = base64.b64encode(picture.read_bytes()).decode()
    assert raw[:40] not in text and "data:image" not in text
