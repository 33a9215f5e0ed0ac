"""Session details the sampled mutation runs found untested: the streamed reply tokens,
a turn that ends without a result, /undo as one unit with the thread index."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk

from dialoggen.agent.app.session import Session, _reply_token
from dialoggen.agent.errors import DialogGenError, StorageError
from dialoggen.tools.image_store import ImageStore


def test_stream_yields_the_chat_models_reply_as_tokens(fake_roles, fake_context):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    from dialoggen.agent import roles
    from dialoggen.agent.llm.roles import LLMChat

    model = GenericFakeChatModel(messages=iter([AIMessage("Foxes live in dens.")]))  # streams word by word
    roles.register("chat", "llm", LLMChat(model, name="llm"))
    s = Session(dataclasses.replace(fake_context, chat="llm"), "tokens")
    events = list(s.stream("where do foxes live?"))
    tokens = [e["token"] for e in events if "token" in e]
    assert len(tokens) > 1 and "".join(tokens) == "Foxes live in dens." == events[-1]["turn"]["reply"]
    from dialoggen.graphs.nodes.chat import STATUS_WRITING

    statuses = [e["status"] for e in events if "status" in e]
    assert STATUS_WRITING in statuses and events.index({"status": STATUS_WRITING}) < min(
        i for i, e in enumerate(events) if "token" in e
    )  # the front end shows "writing reply" before the first token


def test_reply_token_is_text_of_chat_node_chunks_only():
    chat = {"langgraph_node": "chat"}
    assert _reply_token((AIMessageChunk(content="Fo"), chat)) == "Fo"
    blocks = [{"type": "text", "text": "Fox"}, {"type": "image_url", "image_url": {"url": "x"}}, {"type": "text", "text": "es"}]
    assert _reply_token((AIMessageChunk(content=blocks), chat)) == "Foxes"
    assert _reply_token((AIMessageChunk(content="x"), {"langgraph_node": "intent"})) is None
    assert _reply_token((AIMessageChunk(content="x"), None)) is None
    assert _reply_token((AIMessage(content="whole"), chat)) is None


@pytest.mark.parametrize("chunks", [[], [("values", {"last_turn": {"turn": 1, "user": "something else"}})]])
def test_turn_without_its_result_records_nothing(fake_roles, fake_context, monkeypatch, chunks):
    s = Session(fake_context, "noresult")
    s.send("hello")
    monkeypatch.setattr(s.graph, "stream", lambda *a, **k: iter(chunks))
    with pytest.raises(DialogGenError, match="ended without a result; nothing was recorded"):
        s.send("draw a cat")
    monkeypatch.undo()
    assert [t["user"] for t in Session(fake_context, "noresult").turns()] == ["hello"]


def test_undo_with_the_thread_index_unwritable_changes_nothing(fake_roles, fake_context, monkeypatch):
    """/undo is one unit too: when the thread index cannot be written, the thread keeps
    its last turn and the error says nothing changed."""
    s = Session(fake_context, "undo-ro")
    s.send("hello")
    s.send("what is a fox?")
    with monkeypatch.context() as mp:
        mp.setattr(ImageStore, "_connect", lambda self: sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=0.2))
        with pytest.raises(StorageError, match="nothing was recorded"):
            s.undo()
    assert [t["user"] for t in Session(fake_context, "undo-ro").turns()] == ["hello", "what is a fox?"]
    assert s.undo()["user"] == "what is a fox?" and [t["user"] for t in s.turns()] == ["hello"]
