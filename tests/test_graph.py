"""The graph end to end with instant fake roles: routing, records, prompt diffs, the
critic's single correction, checkpoints holding references only."""

from __future__ import annotations

import sqlite3

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from dialoggen.agent.context import Context
from dialoggen.agent.errors import InputError
from dialoggen.graphs import build_graph
from dialoggen.graphs.nodes.t2i import NO_T2I_NOTICE


@pytest.fixture
def graph():
    return build_graph(SqliteSaver(sqlite3.connect(":memory:", check_same_thread=False)))


def run(graph, ctx, text, thread="t", **extra):
    return graph.invoke({"messages": [("user", text)], **extra}, {"configurable": {"thread_id": thread}}, context=ctx, durability="exit")


def test_shape_has_the_cards_nodes():
    g = build_graph().get_graph()
    assert {"intent", "rewrite", "critic", "t2i", "chat"} <= set(g.nodes)
    edges = {(e.source, e.target) for e in g.edges}
    assert ("__start__", "intent") in edges
    assert {("intent", "rewrite"), ("intent", "chat"), ("rewrite", "t2i"), ("rewrite", "critic"), ("chat", "critic"), ("critic", "t2i")} <= edges


def test_text_then_image_then_edit_keeps_untouched_parts(graph, fake_roles, fake_context):
    first = run(graph, fake_context, "hello there")["last_turn"]
    assert first["modality"] == "text" and first["reply"] == "echo: hello there" and first["turn"] == 1
    second = run(graph, fake_context, "draw a red fox")["last_turn"]
    assert second["modality"] == "image" and second["turn"] == 2
    assert second["prompt_text"].startswith("Draw a red fox.")
    assert second["notice"] == NO_T2I_NOTICE and second["image"] is None
    third = run(graph, fake_context, "change the background a snowy field")["last_turn"]
    assert [c["part"] for c in third["prompt_diff"]] == ["background"]
    assert third["prompt"]["subject"] == second["prompt"]["subject"]
    assert third["prompt_text"].split(". ")[0] == second["prompt_text"].split(". ")[0]
    assert third["notice"] is None  # the prompt-only notice is said once per thread
    assert third["seed"] == second["seed"] == fake_context.default_seed


def test_seed_input_fixes_the_threads_seed(graph, fake_roles, fake_context):
    run(graph, fake_context, "draw a boat", seed=7)
    assert run(graph, fake_context, "draw a car")["last_turn"]["seed"] == 7


def test_critic_corrects_once_and_keeps_its_verdict(graph, fake_roles, fake_context):
    ctx = Context(**{**fake_context.__dict__, "critic": "fake-critic"})
    record = run(graph, ctx, "draw the wrong thing")["last_turn"]
    assert record["modality"] == "text"  # the critic flipped image -> text
    assert record["critic"]["ok"] is False and record["critic"]["rule"] == "intent"
    assert record["reply"] == "echo: draw the wrong thing"
    fine = run(graph, ctx, "draw a cat")["last_turn"]
    assert fine["critic"]["ok"] is True and fine["modality"] == "image"


def test_critic_is_switchable_per_call_on_one_thread(graph, fake_roles, fake_context):
    on = Context(**{**fake_context.__dict__, "critic": "fake-critic"})
    assert run(graph, fake_context, "draw the wrong thing")["last_turn"]["critic"] is None
    assert run(graph, on, "draw the wrong thing")["last_turn"]["critic"]["critic"] == "fake-critic"


def test_bad_input_raises_one_sentence(graph, fake_roles, fake_context):
    with pytest.raises(InputError, match="empty"):
        run(graph, fake_context, "   ")
    ctx = Context(**{**fake_context.__dict__, "max_input_chars": 10})
    with pytest.raises(InputError, match="limit is 10"):
        run(graph, ctx, "x" * 11)


def test_state_holds_references_only(graph, fake_roles, fake_context):
    run(graph, fake_context, "draw a lighthouse")
    state = graph.get_state({"configurable": {"thread_id": "t"}}).values
    assert state["draft"] is None and state["decision"] is None
    assert len(state["turns"]) == 1 and len(state["messages"]) == 2


def test_narrow_io_schemas():
    g = build_graph()
    assert set(g.get_input_jsonschema()["properties"]) == {"messages", "attachment", "seed"}
    assert set(g.get_output_jsonschema()["properties"]) == {"messages", "last_turn", "seed"}


def test_embeds_as_a_subgraph(fake_roles, fake_context):
    from langgraph.graph import START, StateGraph

    from dialoggen.agent.state import OutputState

    parent = StateGraph(OutputState, context_schema=Context)
    parent.add_node("dialoggen", build_graph())
    parent.add_edge(START, "dialoggen")
    out = parent.compile().invoke({"messages": [("user", "draw a kite")]}, context=fake_context)
    assert out["last_turn"]["modality"] == "image" and "kite" in out["last_turn"]["prompt_text"]


def test_router_shortcut_saves_the_llm_call_when_confident(graph, fake_roles, fake_context):
    from dialoggen.agent import roles
    from dialoggen.agent.schemas import TurnDecision

    class SureRouter:
        name = "offline"

        def decide(self, conv, *, full_turn=False):
            sure = "draw" in conv.user
            return TurnDecision(modality="image" if sure else "text", confidence=0.99 if sure else 0.6, source="router")

    roles.register("intent", "offline", SureRouter())
    roles.register("intent", "llm", fake_roles["intent"])  # an LLM that serves intent only
    ctx = Context(**{**fake_context.__dict__, "intent": "llm", "router_shortcut": 0.95})
    before = fake_roles["intent"].calls
    assert run(graph, ctx, "draw a cat")["last_turn"]["decided_by"] == "router"
    assert fake_roles["intent"].calls == before  # the LLM was not asked
    assert run(graph, ctx, "hello")["last_turn"]["decided_by"] == "fake"
    assert fake_roles["intent"].calls == before + 1


def test_uncaptioned_attachment_edit_says_what_is_missing(graph, fake_roles, fake_context):
    from dialoggen.graphs.nodes.rewrite import NO_CAPTION_NOTICE

    ref = {"path": "", "sha256": "0" * 64, "caption": None}
    record = run(graph, fake_context, "change the background a beach", attachment=ref)["last_turn"]
    assert record["modality"] == "image" and NO_CAPTION_NOTICE in record["notice"]
    captioned = run(graph, fake_context, "change the background a beach", thread="c", attachment={**ref, "caption": "a cat"})["last_turn"]
    assert NO_CAPTION_NOTICE not in captioned["notice"]


def test_llm_chat_reply_reaches_messages_mode_once(graph, fake_roles, fake_context):
    """The chat node's final message reuses the chat model's message id, so LangGraph's
    ``messages`` mode shows the reply once (not the model's message, then the turn's)."""
    from fake_chat import FakeChatModel

    from dialoggen.agent import roles
    from dialoggen.agent.llm.roles import LLMChat

    roles.register("chat", "llm", LLMChat(FakeChatModel(responses=["Foxes live in dens."], structured=False), name="llm"))
    ctx = Context(**{**fake_context.__dict__, "chat": "llm"})
    cfg = {"configurable": {"thread_id": "m"}}
    seen = [
        (message.id, message.content)
        for message, meta in graph.stream({"messages": [("user", "where do foxes live?")]}, cfg, context=ctx, stream_mode="messages")
        if meta.get("langgraph_node") == "chat"
    ]
    assert len({i for i, _ in seen}) == 1 and "".join(c for _, c in seen) == "Foxes live in dens."
    final = graph.get_state(cfg).values["messages"][-1]
    assert final.id == seen[0][0] and final.content == "Foxes live in dens."


def test_subgraph_persistence_is_documented():
    import importlib

    graph_module = importlib.import_module("dialoggen.graphs.graph")
    doc = graph_module.__doc__ + (graph_module.build_graph.__doc__ or "")
    assert "build_graph(checkpointer=True)" in doc and "``True`` for a subgraph" in doc


def test_llm_chat_reply_reaches_messages_mode_once_with_the_critic_on(graph, fake_roles, fake_context):
    """With the critic on (and keeping the reply) the reply is still one message: the critic
    ends the turn with the chat model's message id."""
    from fake_chat import FakeChatModel

    from dialoggen.agent import roles
    from dialoggen.agent.llm.roles import LLMChat

    roles.register("chat", "llm", LLMChat(FakeChatModel(responses=["Foxes live in dens."], structured=False), name="llm"))
    ctx = Context(**{**fake_context.__dict__, "chat": "llm", "critic": "fake-critic"})
    cfg = {"configurable": {"thread_id": "mc"}}
    ids = {
        message.id
        for message, meta in graph.stream({"messages": [("user", "where do foxes live?")]}, cfg, context=ctx, stream_mode="messages")
        if meta.get("langgraph_node") in ("chat", "critic")
    }
    final = graph.get_state(cfg).values["messages"][-1]
    assert ids == {final.id} and final.content == "Foxes live in dens."
    assert graph.get_state(cfg).values["last_turn"]["critic"]["ok"] is True
