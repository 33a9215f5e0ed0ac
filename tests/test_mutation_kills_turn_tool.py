"""graphs/turn.py and graphs/tool.py details a sampled mutation run found untested: the
user's text in content blocks, the conversation of a turn in progress, the default
decision, the tool's result, arguments, settings and rollback."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage

from dialoggen.graphs import as_tool
from dialoggen.graphs.checkpointer import DeltaSqliteSaver
from dialoggen.graphs.tool import result_of
from dialoggen.graphs.turn import conversation, decision_of, user_text


def test_user_text_reads_the_last_human_messages_text_blocks() -> None:
    blocks = [{"type": "text", "text": "draw"}, {"type": "image_url", "image_url": {"url": "x", "text": "no"}}, {"type": "text", "text": "a fox"}]
    assert user_text([HumanMessage("old"), AIMessage("reply"), HumanMessage(content=blocks)]) == "draw a fox"
    assert user_text([HumanMessage("hi"), AIMessage("hello")]) == "hi"
    assert user_text([AIMessage("only the assistant")]) == "" and user_text([]) == ""


def test_conversation_of_a_turn_in_progress_keeps_its_draft() -> None:
    state = {"messages": [HumanMessage("draw a fox")], "draft": {"user": "draw a fox, please", "lang": "en", "attachment": {"path": "p"}}}
    conv = conversation(state)
    assert conv.user == "draw a fox, please" and conv.attachment == {"path": "p"}
    fresh = conversation({"messages": [HumanMessage("画一只狐狸")], "attachment": {"path": "q"}})
    assert fresh.user == "画一只狐狸" and fresh.lang == "zh" and fresh.attachment == {"path": "q"}


def test_decision_defaults_to_a_text_turn() -> None:
    assert decision_of({}).modality == "text" and decision_of({"decision": {"modality": "image"}}).modality == "image"


def test_result_of_a_text_and_an_image_turn() -> None:
    text = result_of({"modality": "text", "reply": "Foxes live in dens.", "prompt_text": "p", "turn": 2}, "t")
    assert text["text"] == "Foxes live in dens." and text["turn"] == 2 and text["thread"] == "t"
    image = result_of({"modality": "image", "prompt_text": "a fox", "reply": "r", "image": {"path": "x.png"}}, "t")
    assert image["text"] == "a fox" and image["image"] == "x.png"
    empty = result_of({}, "t")
    assert empty["text"] == "" and empty["modality"] == "text" and empty["turn"] == 0 and empty["image"] is None


def test_tool_arguments_are_described_for_the_calling_model(fake_roles, fake_context) -> None:
    args = as_tool(fake_context).args
    for name in ("request", "image_path", "image_caption", "thread"):
        assert args[name].get("description"), name
    assert "edit the same picture" in args["thread"]["description"]


def test_tool_uses_its_context_and_a_failed_call_leaves_the_thread_as_it_was(fake_roles, fake_context, tmp_path) -> None:
    tool = as_tool(fake_context)
    assert tool.invoke({"request": "hello", "thread": "ctx"})["turn"] == 1
    assert (tmp_path / "data" / "checkpoints.db").is_file()  # the context's data directory
    saver = DeltaSqliteSaver.from_path(tmp_path / "mine.db")
    try:
        tool = as_tool(fake_context, checkpointer=saver)
        tool.invoke({"request": "hello", "thread": "rb"})
        cfg = {"configurable": {"thread_id": "rb"}}
        before = saver.get_tuple(cfg).checkpoint["channel_values"]
        refused = tool.invoke({"request": "   ", "thread": "rb"})
        assert isinstance(refused, str) and "empty" in refused
        head = saver.get_tuple(cfg)
        assert head.checkpoint["channel_values"] == before and not head.checkpoint["channel_values"].get("draft")
        assert tool.invoke({"request": "draw a fox", "thread": "rb"})["turn"] == 2
    finally:
        saver.close()


def test_a_failed_first_call_leaves_no_thread(fake_roles, fake_context, tmp_path) -> None:
    saver = DeltaSqliteSaver.from_path(tmp_path / "first.db")
    try:
        refused = as_tool(fake_context, checkpointer=saver).invoke({"request": "   ", "thread": "new"})
        assert isinstance(refused, str) and "empty" in refused
        assert saver.get_tuple({"configurable": {"thread_id": "new"}}) is None
    finally:
        saver.close()
