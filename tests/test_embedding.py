"""DialogGen inside other graphs: a subgraph of a checkpointed parent keeps its own
conversation across the parent's turns, and ``as_tool()`` runs inside
``langchain.agents.create_agent`` with a draw / edit pair on one thread."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph

from dialoggen.agent.context import Context
from dialoggen.agent.state import OutputState
from dialoggen.graphs import as_tool, build_graph


@pytest.fixture
def ctx(fake_roles, tmp_path):
    # fake intent (instant), the real offline rule rewriter (the edit under test)
    return Context(intent="fake", rewrite="offline", chat="fake", critic=None, t2i="none", data_dir=str(tmp_path / "data"))


def parent_graph(sub):
    parent = StateGraph(OutputState, context_schema=Context)
    parent.add_node("dialoggen", sub)
    parent.add_edge(START, "dialoggen")
    return parent.compile(checkpointer=InMemorySaver())


def turns(graph, ctx, texts, thread="p"):
    cfg = {"configurable": {"thread_id": thread}}
    return [graph.invoke({"messages": [("user", t)]}, cfg, context=ctx)["last_turn"] for t in texts]


def test_subgraph_keeps_its_conversation_across_parent_turns(ctx):
    parent = parent_graph(build_graph(checkpointer=True))
    first, second, third = turns(parent, ctx, ["draw a red fox in the snow", "make it a watercolor", "change the background to a beach"])
    assert [first["turn"], second["turn"], third["turn"]] == [1, 2, 3]
    assert first["prompt"]["subject"] == second["prompt"]["subject"] == third["prompt"]["subject"]
    assert "fox" in second["prompt"]["subject"]
    # "make it a watercolor" changes only the style
    assert [c["part"] for c in second["prompt_diff"]] == ["style"] and "watercolor" in second["prompt"]["style"]
    assert [c["part"] for c in third["prompt_diff"]] == ["background"] and "beach" in third["prompt"]["background"]
    assert third["prompt"]["style"] == second["prompt"]["style"]
    # another parent thread is another conversation
    (other,) = turns(parent, ctx, ["make it a watercolor"], thread="q")
    assert other["turn"] == 1


def test_without_subgraph_persistence_each_parent_turn_starts_over(ctx):
    """What ``checkpointer=True`` fixes (LangGraph's default for subgraphs)."""
    parent = parent_graph(build_graph())
    _, second = turns(parent, ctx, ["draw a red fox in the snow", "make it a watercolor"])
    assert second["turn"] == 1


class ToolCallingFake:
    """Builds a GenericFakeChatModel that accepts bind_tools (create_agent binds the tools)."""

    @staticmethod
    def make(messages):
        from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

        class Model(GenericFakeChatModel):
            def bind_tools(self, tools, **kwargs):
                return self

        return Model(messages=iter(messages))


def call(request, call_id, **extra):
    return AIMessage(content="", tool_calls=[{"name": "dialoggen", "args": {"request": request, **extra}, "id": call_id, "type": "tool_call"}])


def test_as_tool_in_create_agent_draws_then_edits_on_one_thread(ctx):
    from langchain.agents import create_agent

    tool = as_tool(ctx)
    assert set(tool.args) == {"request", "image_path", "image_caption", "thread"}
    model = ToolCallingFake.make([
        call("draw a red fox in the snow", "c1"), AIMessage(content="Here is your fox."),
        call("make it a watercolor", "c2"), AIMessage(content="Now in watercolor."),
    ])
    agent = create_agent(model, tools=[tool], checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "agent-1"}}
    results = []
    for text in ("please draw a red fox in the snow", "make it a watercolor"):
        out = agent.invoke({"messages": [("user", text)]}, cfg)
        tool_msgs = [m for m in out["messages"] if isinstance(m, ToolMessage)]
        results.append(json.loads(tool_msgs[-1].content))
    draw, edit = results
    assert draw["modality"] == edit["modality"] == "image"
    assert draw["turn"] == 1 and edit["turn"] == 2 and draw["thread"] == edit["thread"] == "agent-1"
    assert "fox" in draw["prompt"] and "fox" in edit["prompt"] and "watercolor" in edit["prompt"].lower()
    assert [c["part"] for c in edit["changed"]] == ["style"]
    assert edit["seed"] == draw["seed"] == ctx.default_seed
    assert draw["image"] is None and draw["notice"]  # t2i="none": prompt only, said so
    assert out["messages"][-1].content == "Now in watercolor."


def test_as_tool_thread_argument_and_user_errors(ctx, tmp_path):
    tool = as_tool(ctx)
    a = tool.invoke({"request": "draw a red fox in the snow", "thread": "t1"})
    b = tool.invoke({"request": "make it a watercolor", "thread": "t2"})
    assert a["turn"] == 1 and b["turn"] == 1  # another thread, another conversation
    missing = tool.invoke({"request": "what is this?", "image_path": str(tmp_path / "nope.png"), "thread": "t1"})
    assert isinstance(missing, str) and missing  # one sentence for the calling model, no traceback
    again = tool.invoke({"request": "make it a watercolor", "thread": "t1"})
    assert again["turn"] == 2 and [c["part"] for c in again["changed"]] == ["style"]
