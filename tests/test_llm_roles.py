"""The LLM roles: structured calls, single pass, minimal prompt edits, retry-then-fallback,
history rendering, and the openai path through a real local HTTP server."""

from __future__ import annotations

import logging
import re
import socket

import pytest
from fake_chat import FakeChatModel, FakeOpenAIServer
from langchain_core.messages import AIMessage, HumanMessage

from dialoggen.agent import roles
from dialoggen.agent.errors import ModelTimeoutError, ModelUnavailableError
from dialoggen.agent.llm.models import CallLimits, use_limits
from dialoggen.agent.llm.roles import forget_modes, structured_mode
from dialoggen.agent.llm.roles import LLMChat, LLMCritic, LLMIntent, LLMRewriter, apply_changes, history, parse_json, IntentOutput, PromptChanges
from dialoggen.agent.llm.models import load_chat_model
from dialoggen.agent.prompt import DrawingPrompt
from dialoggen.agent.schemas import Conversation
from dialoggen.agent.schemas import TurnDecision

CORGI = DrawingPrompt(
    subject="A corgi runs on the grass",
    background="a park",
    shot="a medium shot",
    style="realistic",
    extras=["A red ball lies nearby"],
)


def image_turn(prompt: DrawingPrompt, user: str = "Draw a corgi.", n: int = 1) -> dict:
    return {"turn": n, "user": user, "lang": prompt.lang, "modality": "image", "prompt": prompt.model_dump(), "prompt_text": prompt.render(), "attachment": None}


def conv(user: str, turns: list | None = None, lang: str = "en", attachment=None) -> Conversation:
    return Conversation(user=user, lang=lang, messages=[HumanMessage(content=user)], turns=list(turns or []), attachment=attachment)


# ------------------------------------------------------------------ intent
def test_decide_is_one_structured_call():
    model = FakeChatModel(responses=[{"modality": "image", "confidence": 0.8}])
    d = LLMIntent(model, name="fake:m").decide(conv("Draw a fox."))
    assert (d.modality, d.confidence, d.source) == ("image", 0.8, "fake:m")
    assert d.prompt is None and d.reply is None
    assert len(model.calls) == 1 and model.calls[0]["tools"] == ["IntentOutput"]


def test_single_pass_text_turn_is_one_call():
    model = FakeChatModel(responses=[{"modality": "text", "confidence": 0.9, "reply": " Foxes eat mice. "}])
    d = LLMIntent(model, name="m").decide(conv("What do foxes eat?"), full_turn=True)
    assert d.modality == "text" and d.reply == "Foxes eat mice."
    assert len(model.calls) == 1 and model.calls[0]["tools"] == ["TurnOutput"]


def test_single_pass_image_turn_edits_previous_prompt_in_one_call():
    model = FakeChatModel(responses=[{"modality": "image", "confidence": 0.95, "changes": {"style": "watercolor"}}])
    c = conv("Make it a watercolor.", [image_turn(CORGI)])
    d = LLMIntent(model, name="m").decide(c, full_turn=True)
    assert len(model.calls) == 1
    assert d.prompt is not None and d.prompt.style == "watercolor"
    assert [ch.part for ch in d.prompt.diff(CORGI)] == ["style"]
    # the previous prompt reached the model
    assert "A corgi runs on the grass" in model.calls[0]["messages"][-1].content


def test_intent_retries_once_then_succeeds():
    model = FakeChatModel(responses=["I think image?", {"modality": "text", "confidence": 0.7}])
    d = LLMIntent(model, name="m").decide(conv("hello"))
    assert (d.modality, d.confidence) == ("text", 0.7)
    assert len(model.calls) == 2
    retry = model.calls[1]["messages"]
    assert isinstance(retry[-2], AIMessage) and "I think image?" in retry[-2].content
    assert "JSON" in retry[-1].content


def test_intent_falls_back_to_router_after_two_bad_answers(monkeypatch):
    class Router:
        def decide(self, c, *, full_turn=False):
            return TurnDecision(modality="image", confidence=0.6, source="router")

    import dialoggen.agent.offline.router as router_mod

    monkeypatch.setattr(router_mod, "default_router", lambda: Router())
    model = FakeChatModel(responses=["garbage", "more garbage"])
    d = LLMIntent(model, name="m").decide(conv("Draw a fox."))
    assert len(model.calls) == 2
    assert d.modality == "image" and "fallback" in d.source and "m" in d.source


def test_intent_fallback_without_router_is_text_with_zero_confidence(monkeypatch):
    def broken(*a, **k):
        raise ImportError("no router")

    import dialoggen.agent.offline.router as router_mod

    monkeypatch.setattr(router_mod, "default_router", broken)
    d = LLMIntent(FakeChatModel(responses=["x", "y"]), name="m").decide(conv("hi"))
    assert (d.modality, d.confidence) == ("text", 0.0) and "fallback" in d.source


def test_plain_text_model_gets_json_parsed_from_prose():
    model = FakeChatModel(structured=False, responses=['Sure! ```json\n{"modality": "image", "confidence": 0.9}\n``` hope it helps'])
    d = LLMIntent(model, name="m").decide(conv("Draw a fox."))
    assert (d.modality, d.confidence) == ("image", 0.9)
    assert len(model.calls) == 1 and model.calls[0]["tools"] == []
    assert "JSON schema" in model.calls[0]["messages"][-1].content


# ------------------------------------------------------------------ rewrite
def test_rewrite_changes_only_the_named_part_byte_identical():
    model = FakeChatModel(responses=[{"changes": {"background": "The background is a beach at sunset."}}])
    c = conv("Put it on a beach at sunset.", [image_turn(CORGI)])
    new = LLMRewriter(model, name="m").rewrite(c)
    assert new.background == "a beach at sunset"
    before, after = CORGI.sentences(), new.sentences()
    for part in ("subject", "shot", "style", "extras"):
        assert after[part] == before[part]  # byte-identical sentences
    assert [ch.part for ch in new.diff(CORGI)] == ["background"]


def test_rewrite_add_extras_and_start_over():
    c = conv("Add a kite.", [image_turn(CORGI)])
    new = LLMRewriter(FakeChatModel(responses=[{"changes": {"add_extras": ["A kite flies above"]}}]), name="m").rewrite(c)
    assert new.extras == ["A red ball lies nearby", "A kite flies above"] and new.subject == CORGI.subject

    fresh = {"start_over": True, "changes": {"subject": "一只狐狸在雪地里奔跑", "background": "雪林", "style": "写实"}}
    zh = LLMRewriter(FakeChatModel(responses=[fresh]), name="m").rewrite(conv("画一只狐狸", [image_turn(CORGI)], lang="zh"))
    assert zh.lang == "zh" and zh.subject == "一只狐狸在雪地里奔跑" and zh.extras == [] and zh.shot == ""
    assert zh.render().startswith("一只狐狸在雪地里奔跑。")


def test_rewrite_fallbacks_after_garbage():
    model = FakeChatModel(responses=["nope", "nope"])
    new = LLMRewriter(model, name="m").rewrite(conv("Add a kite.", [image_turn(CORGI)]))
    assert len(model.calls) == 2
    assert new.extras == ["A red ball lies nearby", "Add a kite."] and new.subject == CORGI.subject
    first = LLMRewriter(FakeChatModel(responses=["?", "?"]), name="m").rewrite(conv("a red fox in snow"))
    assert first.subject == "a red fox in snow" and first.background == ""


def test_apply_changes_empty_string_removes_a_part_but_never_the_subject():
    p = apply_changes(CORGI, PromptChanges(shot="", subject=""), lang="en", request="x")
    assert p.shot == "" and p.subject == CORGI.subject


# ------------------------------------------------------------------ chat and history
def test_chat_renders_history_with_img_tags():
    t1 = {**image_turn(CORGI), "attachment": None}
    t2 = {"turn": 2, "user": "What is she doing?", "lang": "en", "modality": "text", "reply": "She dances.", "attachment": {"path": "/nope.png", "sha256": "0", "caption": "A woman dancing"}}
    model = FakeChatModel(responses=["  A corgi!  "])
    c = conv("Which dog was it?", [t1, t2], attachment={"path": "/missing.png", "sha256": "1", "caption": "A dog photo"})
    assert LLMChat(model, name="m").reply(c) == "A corgi!"
    msgs = model.calls[0]["messages"]
    assert msgs[2].content == f"<img>{CORGI.render()}</img>"
    assert msgs[3].content == "<img>A woman dancing</img> What is she doing?"
    assert msgs[-1].content == "<img>A dog photo</img> Which dog was it?"


def test_history_from_messages_when_no_turns():
    c = Conversation(
        user="and now?",
        lang="en",
        messages=[HumanMessage("draw a cat"), AIMessage("A cat sits.", additional_kwargs={"dialoggen": {"modality": "image"}}), HumanMessage("and now?")],
    )
    assert history(c) == [("user", "draw a cat"), ("assistant", "<img>A cat sits.</img>")]


def test_vision_model_sees_the_attached_image(tmp_path):
    from PIL import Image

    path = tmp_path / "a.png"
    Image.new("RGB", (8, 8), "red").save(path)
    ref = {"path": str(path), "sha256": "x", "caption": "a red square"}
    seeing = FakeChatModel(vision=True, responses=[{"modality": "text", "confidence": 0.9}])
    LLMIntent(seeing, name="m").decide(conv("What colour is it?", attachment=ref))
    content = seeing.calls[0]["messages"][-1].content
    assert isinstance(content, list) and content[1]["type"] == "image" and content[1]["mime_type"] == "image/png"
    assert "<img>" not in content[0]["text"]
    blind = FakeChatModel(responses=[{"modality": "text", "confidence": 0.9}])
    LLMIntent(blind, name="m").decide(conv("What colour is it?", attachment=ref))
    assert "<img>a red square</img> What colour is it?" in blind.calls[0]["messages"][-1].content


# ------------------------------------------------------------------ critic
def test_critic_verdicts_and_few_shot_examples():
    c = conv("Can you draw a cat on a windowsill?")
    bad = {"ok": False, "rule": "1", "reason": "A picture was asked for.", "corrected_modality": "image", "corrected_changes": {"subject": "A cat sleeps on a windowsill"}}
    model = FakeChatModel(responses=[bad, {"ok": True}, "??", "!!"])
    critic = LLMCritic(model, name="openai:judge")
    v = critic.check(c, TurnDecision(modality="text", reply="Cats are nice."))
    assert not v.ok and v.rule == "intent" and v.corrected_modality == "image" and v.critic == "openai:judge"
    assert v.corrected_prompt is not None and v.corrected_prompt.subject == "A cat sleeps on a windowsill"
    assert "Example 1" in model.calls[0]["messages"][0].content  # few-shot examples in the system prompt
    assert "Cats are nice." in model.calls[0]["messages"][-1].content
    ok = critic.check(c, TurnDecision(modality="image", prompt=CORGI))
    assert ok.ok and ok.rule is None
    unparsed = critic.check(c, TurnDecision(modality="image", prompt=CORGI))
    assert unparsed.ok and unparsed.reason == "critic output unparseable" and unparsed.critic == "openai:judge"
    assert len(model.calls) == 4


def test_critic_corrects_prompt_relative_to_the_decision():
    c = conv("Put it on a beach.", [image_turn(CORGI)])
    broken = CORGI.model_copy(update={"subject": "A beach"})
    model = FakeChatModel(responses=[{"ok": False, "rule": "descriptive_prompt", "reason": "lost the corgi", "corrected_changes": {"subject": "A corgi runs on the sand"}}])
    v = LLMCritic(model, name="m").check(c, TurnDecision(modality="image", prompt=broken))
    assert v.corrected_modality is None and v.corrected_prompt.subject == "A corgi runs on the sand"
    assert v.corrected_prompt.extras == CORGI.extras and v.corrected_prompt.style == CORGI.style


def test_parse_json_skips_invalid_candidates():
    assert parse_json(IntentOutput, 'x {"a": 1} y {"modality": "text", "confidence": 0.2}').confidence == 0.2
    assert parse_json(IntentOutput, "no json") is None


# ------------------------------------------------------------------ openai through real HTTP
SECRET = "sk-test-SECRET-0123456789"


def _reply(body: dict):
    """Answer the way a real server would: JSON for response_format, text otherwise."""
    schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("name")
    return {
        "IntentOutput": {"modality": "image", "confidence": 0.88},
        "TurnOutput": {"modality": "text", "confidence": 0.9, "reply": "Hello there."},
        "PromptEdit": {"changes": {"background": "a snowy field"}},
        "CriticOutput": {"ok": False, "rule": "coherence", "reason": "off topic", "corrected_reply": "Better."},
    }.get(schema, "Plain hello.")


def test_openai_roles_over_real_http(monkeypatch, caplog, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    caplog.set_level(logging.DEBUG)
    with FakeOpenAIServer(responder=_reply) as server:
        model = load_chat_model("openai:fake-model", openai_base_url=server.base_url)
        c = conv("Put it in the snow.", [image_turn(CORGI)])
        assert LLMIntent(model, name="openai:fake-model").decide(c).modality == "image"
        single = LLMIntent(model, name="openai:fake-model").decide(c, full_turn=True)
        assert single.reply == "Hello there."
        assert LLMRewriter(model, name="x").rewrite(c).diff(CORGI)[0].after == "a snowy field"
        assert LLMChat(model, name="x").reply(c) == "Plain hello."
        v = LLMCritic(model, name="openai:fake-model").check(c, TurnDecision(modality="text", reply="?"))
        assert (v.ok, v.rule, v.corrected_reply) == (False, "coherence", "Better.")
    assert len(server.requests) == 5
    headers, body = server.requests[0]
    assert headers["authorization"] == f"Bearer {SECRET}"
    assert body["model"] == "fake-model" and body["response_format"]["type"] == "json_schema"
    out = capsys.readouterr()
    assert SECRET not in caplog.text and SECRET not in out.out + out.err
    assert SECRET not in repr(model)


def test_openai_server_without_structured_output_gets_plain_json(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    def responder(body):
        if "response_format" in body or "tools" in body:
            return ("status", 400)
        return 'Here: {"modality": "text", "confidence": 0.75}'

    with FakeOpenAIServer(responder=responder) as server:
        model = load_chat_model("openai:fake-model", openai_base_url=server.base_url)
        intent = LLMIntent(model, name="openai:fake-model")
        assert intent.decide(conv("hi")).confidence == 0.75
        assert structured_mode(model) == "prompt"  # remembered for the endpoint
        assert intent.decide(conv("hi again")).modality == "text"
    kinds = [(b.get("response_format") or {}).get("type") for _, b in server.requests]
    assert kinds == ["json_schema", "json_object", None, None]  # each refused mode once, then the prompt only
    assert server.requests[0][0]["authorization"] == "Bearer not-needed"


def test_openai_server_down_raises_model_unavailable(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    model = load_chat_model("openai:fake-model", openai_base_url=url)
    with pytest.raises(ModelUnavailableError) as err:
        LLMIntent(model, name="openai:fake-model").decide(conv("hi"))
    msg = str(err.value)
    assert "openai:fake-model" in msg and url in msg and "refused the connection" in msg and msg.count(". ") == 0


def test_openai_bad_key_raises_model_unavailable_without_the_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with FakeOpenAIServer(replies=[("status", 401)]) as server:
        model = load_chat_model("openai:fake-model", openai_base_url=server.base_url)
        with pytest.raises(ModelUnavailableError) as err:
            LLMChat(model, name="openai:fake-model").reply(conv("hi"))
    assert "OPENAI_API_KEY" in str(err.value) and SECRET not in str(err.value)


def test_openai_timeout_raises_model_unavailable(monkeypatch):
    import time

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAIServer(responder=lambda body: time.sleep(1.0) or "late") as server:
        model = load_chat_model("openai:slow", openai_base_url=server.base_url)
        with use_limits(CallLimits(timeout=0.2, retries=3)), pytest.raises(ModelTimeoutError) as err:
            LLMChat(model, name="openai:slow").reply(conv("hi"))
    assert re.match(r"^The model openai:slow timed out: no complete answer within 0\.2 s from http://127\.0\.0\.1:\d+/v1, and the call was not retried; ", str(err.value))
    assert len(server.requests) == 1  # a timed-out call is not retried


def test_resolve_builds_llm_roles_for_a_spec(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    roles.clear_cache()
    try:
        chat = roles.resolve("chat", "openai:m", openai_base_url="http://127.0.0.1:9/v1")
        assert isinstance(chat, LLMChat) and chat.name == "openai:m"
        assert roles.resolve("chat", "openai:m", openai_base_url="http://127.0.0.1:9/v1") is chat
        assert isinstance(roles.resolve("critic", "openai:m", openai_base_url="http://127.0.0.1:9/v1"), LLMCritic)
    finally:
        roles.clear_cache()


def test_single_pass_through_the_graph_is_one_request_per_turn(monkeypatch, tmp_path):
    """intent = rewrite = chat = one openai spec: each turn is one HTTP request."""
    from langgraph.checkpoint.memory import InMemorySaver

    from dialoggen.agent.context import Context
    from dialoggen.graphs import build_graph

    def responder(body):
        user = body["messages"][-1]["content"].split("Current user message:")[1].split("Language of the user")[0]
        if "beach" in user:
            return {"modality": "image", "confidence": 0.9, "changes": {"background": "a beach at sunset"}}
        if "Draw" in user:
            return {"modality": "image", "confidence": 0.95, "start_over": True, "changes": {"subject": "A corgi runs", "background": "a park", "style": "realistic"}}
        return {"modality": "text", "confidence": 0.8, "reply": "It is a corgi."}

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    roles.clear_cache()
    try:
        with FakeOpenAIServer(responder=responder) as server:
            spec = "openai:fake-model"
            ctx = Context(intent=spec, rewrite=spec, chat=spec, critic=None, t2i="none", openai_base_url=server.base_url, data_dir=str(tmp_path), max_tokens_chat=77, max_tokens_rewrite=60)
            graph, config = build_graph(InMemorySaver()), {"configurable": {"thread_id": "t"}}
            turns = []
            for text in ["Draw a corgi in a park.", "Now put it on a beach.", "What dog is it?"]:
                before = len(server.requests)
                turns.append(graph.invoke({"messages": [HumanMessage(text)]}, config, context=ctx)["last_turn"])
                assert len(server.requests) - before == 1
    finally:
        roles.clear_cache()
    assert [t["modality"] for t in turns] == ["image", "image", "text"]
    assert {b["max_completion_tokens"] for _, b in server.requests} == {77}  # the run's Context bounds the calls (single pass: the larger of chat and rewrite)
    assert [c["part"] for c in turns[1]["prompt_diff"]] == ["background"]
    assert turns[1]["prompt_text"].startswith("A corgi runs. The background is a beach at sunset.")
    assert turns[2]["reply"] == "It is a corgi."


# ------------------------------------------------------------------ servers that differ (issue: local LLM servers)
def _kinds(server) -> list:
    return [(b.get("response_format") or {}).get("type") for _, b in server.requests]


def test_server_ignoring_response_format_drops_to_the_prompt_mode_and_remembers_it(monkeypatch):
    """transformers serve ignores response_format and answers 200 with prose: the one retry
    asks in the prompt, parses, and the endpoint stays in the prompt mode."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    def responder(body):
        if "response_format" in body:
            return "Sure! The user wants a picture, so I would say image."
        return '{"modality": "image", "confidence": 0.7}'

    with FakeOpenAIServer(responder=responder) as server:
        model = load_chat_model("openai:ignorer", openai_base_url=server.base_url)
        intent = LLMIntent(model, name="openai:ignorer")
        first = intent.decide(conv("Draw a cat."))
        assert (first.modality, first.confidence) == ("image", 0.7) and intent.last_notice is None
        assert structured_mode(model) == "prompt"
        intent.decide(conv("Draw a dog."))
    assert _kinds(server) == ["json_schema", None, None]
    assert "JSON schema" in server.requests[1][1]["messages"][-1]["content"]


@pytest.mark.parametrize("status", [400, 422])
def test_unsupported_field_status_steps_down_one_mode(monkeypatch, status):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    def responder(body):
        rf = (body.get("response_format") or {}).get("type")
        if rf == "json_schema":
            return ("status", status)
        return {"modality": "text", "confidence": 0.6}

    with FakeOpenAIServer(responder=responder) as server:
        model = load_chat_model("openai:jsonmode", openai_base_url=server.base_url)
        assert LLMIntent(model, name="openai:jsonmode").decide(conv("hi")).confidence == 0.6
        assert structured_mode(model) == "json_object"
    assert _kinds(server) == ["json_schema", "json_object"]


@pytest.mark.parametrize(
    "bad",
    [
        '{"modality": 42, "confidence": "very"}',  # wrong types: the SDK's .parse() raised ValidationError here
        '{"modality": "image", "confid',  # cut off
        "I think it is text.",  # prose
        "",
    ],
)
def test_unparseable_answers_get_one_retry_then_the_fallback_with_a_notice(monkeypatch, bad):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAIServer(responder=lambda body: bad) as server:
        model = load_chat_model("openai:bad", openai_base_url=server.base_url)
        critic = LLMCritic(model, name="openai:bad")
        verdict = critic.check(conv("Draw a cat."), TurnDecision(modality="text", reply="Hi."))
        assert verdict.ok and verdict.reason == "critic output unparseable"
        assert critic.last_notice and "fallback" in critic.last_notice
        intent = LLMIntent(model, name="openai:bad")
        import dialoggen.agent.offline.router as router_mod

        monkeypatch.setattr(router_mod, "default_router", lambda: (_ for _ in ()).throw(ImportError("no router")))
        decision = intent.decide(conv("Draw a cat."))
        assert decision.confidence == 0.0 and "fallback" in decision.source and intent.last_notice
    assert len(server.requests) == 4  # two calls, each one answer and one retry


def test_max_tokens_per_role_is_sent(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAIServer(responder=_reply) as server:
        model = load_chat_model("openai:fake-model", openai_base_url=server.base_url)
        limits = CallLimits(max_tokens=(("intent", 11), ("rewrite", 22), ("chat", 33), ("critic", 44)))
        with use_limits(limits):
            c = conv("Put it in the snow.", [image_turn(CORGI)])
            LLMIntent(model, name="i").decide(c)
            LLMRewriter(model, name="r").rewrite(c)
            LLMChat(model, name="c").reply(c)
            LLMCritic(model, name="k").check(c, TurnDecision(modality="text", reply="?"))
            LLMIntent(model, name="i").decide(c, full_turn=True)
    sent = [(b.get("max_completion_tokens"), b.get("max_tokens")) for _, b in server.requests]
    assert sent == [(11, 11), (22, 22), (33, 33), (44, 44), (33, 33)]


def test_cut_off_answer_is_retried_with_a_shorter_request(monkeypatch):
    from fake_chat import FakeOpenAIServer as Server

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    answers = iter(['{"modality": "image", "confi', '{"modality": "image", "confidence": 0.9}'])
    orig = Server.completion

    def completion(body, reply):
        out = orig(body, reply)
        if reply.endswith("confi"):
            out["choices"][0]["finish_reason"] = "length"
        return out

    monkeypatch.setattr(Server, "completion", staticmethod(completion))
    with Server(responder=lambda body: next(answers)) as server:
        model = load_chat_model("openai:cut", openai_base_url=server.base_url)
        assert LLMIntent(model, name="openai:cut").decide(conv("Draw")).confidence == 0.9
        assert structured_mode(model) == "json_schema"  # a cut-off answer says nothing about the mode
    assert "cut off" in server.requests[1][1]["messages"][-1]["content"]


def test_retries_server_errors_within_the_deadline_but_not_timeouts(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    replies = [("status", 503), "Hello after a hiccup."]
    with FakeOpenAIServer(replies=replies) as server:
        model = load_chat_model("openai:flaky", openai_base_url=server.base_url)
        with use_limits(CallLimits(retries=1, timeout=10)):
            assert LLMChat(model, name="openai:flaky").reply(conv("hi")) == "Hello after a hiccup."
    assert len(server.requests) == 2
    with FakeOpenAIServer(replies=[("status", 503)] * 3) as server:
        model = load_chat_model("openai:flaky", openai_base_url=server.base_url)
        with use_limits(CallLimits(retries=0)), pytest.raises(ModelUnavailableError, match=r"HTTP 503"):
            LLMChat(model, name="openai:flaky").reply(conv("hi"))
    assert len(server.requests) == 1
    with FakeOpenAIServer(replies=[("status", 429)] * 3) as server:
        model = load_chat_model("openai:busy", openai_base_url=server.base_url)
        with use_limits(CallLimits(retries=1)), pytest.raises(ModelUnavailableError, match=r"is rate-limiting openai:busy"):
            LLMChat(model, name="openai:busy").reply(conv("hi"))
    assert len(server.requests) == 2


class DripServer:
    """A server that accepts, sends a status line, then one byte every ``every`` seconds
    forever (a hung server a per-read timeout never notices)."""

    def __init__(self, every: float = 0.2) -> None:
        import threading

        self.every = every
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.closed_by_client = threading.Event()
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"

    def _serve(self) -> None:
        import threading
        import time

        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1

            def drip(c=conn):
                try:
                    c.recv(65536)
                    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
                    while True:
                        time.sleep(self.every)
                        c.sendall(b"X")
                except OSError:
                    self.closed_by_client.set()
                finally:
                    c.close()

            threading.Thread(target=drip, daemon=True).start()

    def close(self) -> None:
        self.sock.close()


def test_overall_deadline_cuts_off_a_dripping_server_and_closes_the_connection(monkeypatch):
    import time

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server = DripServer(every=0.2)
    try:
        model = load_chat_model("openai:drip", openai_base_url=server.base_url)
        start = time.monotonic()
        with use_limits(CallLimits(timeout=1.5, retries=2)), pytest.raises(ModelTimeoutError, match=r"timed out: no complete answer within 1\.5 s"):
            LLMChat(model, name="openai:drip").reply(conv("hi"))
        took = time.monotonic() - start
        assert 1.4 <= took < 3.0, took
        assert server.connections == 1  # not retried
        assert server.closed_by_client.wait(3.0)  # the abandoned request's connection is closed
    finally:
        server.close()


def test_credentials_in_the_base_url_never_reach_messages_logs_or_the_model(monkeypatch, caplog):
    from dialoggen.agent.errors import redact

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    caplog.set_level(logging.DEBUG)
    with FakeOpenAIServer(replies=[("status", 500)] * 4) as server:
        port = server.base_url.split(":")[2].split("/")[0]
        url = f"http://alice:s3cr3t-pass@127.0.0.1:{port}/v1"
        model = load_chat_model("openai:m", openai_base_url=url)
        assert "s3cr3t" not in repr(model) and "s3cr3t" not in str(model.openai_api_base)
        with pytest.raises(ModelUnavailableError) as err:
            LLMChat(model, name="openai:m").reply(conv("hi"))
    import base64

    assert server.requests[0][0]["authorization"] == "Basic " + base64.b64encode(b"alice:s3cr3t-pass").decode()
    assert "s3cr3t" not in str(err.value) and "s3cr3t" not in caplog.text
    assert redact("GET http://u:pw123@h/v1 failed, Bearer abcdef123, api_key=zzzz9999") == "GET http://***@h/v1 failed, Bearer ***, api_key=***"
    assert "pw123" not in str(ModelUnavailableError("at http://u:pw123@h/v1: check it."))


def test_doctor_against_a_server_that_honours_json_schema(monkeypatch):
    from typer.testing import CliRunner

    from dialoggen.agent.app.cli import app

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    def responder(body):
        if (body.get("response_format") or {}).get("type") == "json_schema":
            return {"modality": "image", "confidence": 0.9}
        return "Paris."

    with FakeOpenAIServer(responder=responder) as server:
        result = CliRunner().invoke(app, ["doctor", "--chat", "openai:m", "--intent", "openai:m", "--openai-base-url", server.base_url])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert lines[0].startswith("intent: openai:m at http://127.0.0.1:") and "max_tokens 64" in lines[0]
    assert lines[1].startswith("reachable: yes") or lines[1].startswith("reachable: yes, but")
    assert lines[2].startswith("structured output: works in mode json_schema, 1 request(s)")
    assert any(line.startswith("text reply: ok") and "'Paris.'" in line for line in lines)
    assert lines[-1] == "all checks passed"


def test_a_fallback_notice_reaches_the_turn_record(monkeypatch, tmp_path):
    """An LLM intent (and critic) whose answers never parse: the turn completes with the
    offline router's decision, and the record's notice says the fallback was used."""
    from dialoggen.agent.app.session import Session
    from dialoggen.agent.context import Context

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAIServer(responder=lambda body: "I think it is text.") as server:
        ctx = Context(intent="openai:bad", rewrite="offline", chat="none", critic="openai:bad", t2i="none",
                      openai_base_url=server.base_url, data_dir=str(tmp_path / "data"))
        record = Session(ctx, "fallback").send("Draw a red fox in the snow.")
    assert record["modality"] == "image"  # the router's answer
    assert record["notice"] and record["notice"].count("fallback") >= 1
