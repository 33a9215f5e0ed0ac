"""Issue 13 against a real third-party server: ``transformers serve`` with the SmolLM2-135M copy
(the fixture of ``test_local_server.py``; skips where that one skips).

A 135M model rarely writes the JSON asked for, let alone a good English drawing text, so this
checks what must hold on any server: a Chinese turn for an English-only T2I model asks for the
drawing text in the same call, completes, and draws English either way (the model's text when
it fits, else the offline translation), with the path recorded. It is no measure of quality.
"""

from __future__ import annotations

import re

from langchain_core.messages import HumanMessage
from PIL import Image
from test_local_server import LIMITS, fresh, server  # noqa: F401 - pytest fixtures

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


class EnglishOnlyT2I:
    supports_img2img = False
    langs = ("en",)
    name = "english-only"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def generate(self, prompt, *, seed, init_image=None, strength=0.6, steps=None, size=None, on_step=None):
        self.calls.append(prompt)
        return Image.new("RGB", (8, 8))


def test_a_chinese_turn_for_an_english_model_through_transformers_serve(server, fresh, tmp_path, monkeypatch):  # noqa: F811
    from langgraph.checkpoint.memory import InMemorySaver

    from dialoggen.agent.context import Context
    from dialoggen.agent.llm import roles as llm_roles
    from dialoggen.graphs import build_graph
    from dialoggen.tools import t2i as t2i_module

    base, spec = server
    tool = EnglishOnlyT2I()
    monkeypatch.setitem(t2i_module._cache, "english-only", tool)
    asked: list[tuple[str, str]] = []
    real = llm_roles._LLMRole.structured

    def spy(self, schema, messages, **kw):
        asked.append((schema.__name__, messages[0].content))
        return real(self, schema, messages, **kw)

    monkeypatch.setattr(llm_roles._LLMRole, "structured", spy)
    ctx = Context(intent=spec, rewrite=spec, chat=spec, critic=None, t2i="english-only", openai_base_url=base, data_dir=str(tmp_path), **LIMITS)
    graph, config = build_graph(InMemorySaver()), {"configurable": {"thread_id": "zh"}}
    graph.invoke({"messages": [HumanMessage("画一只在雪地里奔跑的红狐狸")]}, config, context=ctx)
    record = graph.get_state(config).values["last_turn"]
    assert asked and asked[0][0] == "TurnDrawOutput" and "`draw_prompt`" in asked[0][1]
    if record["modality"] == "image":
        assert record["draw_lang"] == "en" and record["draw_source"] in ("llm", "offline")
        assert record["draw_text"] and not CJK.search(record["draw_text"]) and tool.calls == [record["draw_text"]]
        print(f"\nSmolLM2 turn: source={record['draw_source']} prompt={record['prompt_text']!r} drawn={record['draw_text']!r}")
