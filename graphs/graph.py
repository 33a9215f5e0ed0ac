"""The DialogGen graph.

    START -> intent -> rewrite -> [critic] -> t2i -> END      (a picture)
    START -> intent -> chat    -> [critic] ----------> END    (a text reply)

Nodes route with ``Command``; the critic runs only when ``Context.critic`` names one.
Input and output schemas are narrow, so the compiled graph embeds as a subgraph or is
called as a tool from another agent (:func:`dialoggen.graphs.as_tool`)::

    from dialoggen.graphs import build_graph, open_checkpointer
    graph = build_graph(checkpointer=open_checkpointer("~/.local/share/dialoggen"))
    out = graph.invoke({"messages": [("user", "draw a red fox in the snow")]},
                       {"configurable": {"thread_id": "demo"}}, context=Context(t2i="none"))
    out["last_turn"]["prompt_text"]

Inside a checkpointed parent graph, compile it with ``build_graph(checkpointer=True)``
(LangGraph's subgraph persistence): it keeps its own history per parent thread, so turn 2
("make it a watercolor") edits turn 1's prompt. Without it, LangGraph gives every call of
the subgraph a fresh namespace and each turn starts a new conversation::

    parent = StateGraph(MyState, context_schema=Context)
    parent.add_node("dialoggen", build_graph(checkpointer=True))
    parent = parent.compile(checkpointer=InMemorySaver())
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Union

from langgraph.graph import START, StateGraph

from ..agent.context import Context
from ..agent.state import InputState, OutputState, State
from .nodes import chat, critic, intent, rewrite, t2i

CHECKPOINT_FILE = "checkpoints.db"


def build_graph(checkpointer: Any = None, *, name: str = "dialoggen"):
    """Compile the DialogGen state machine.

    Args:
        checkpointer: any LangGraph checkpointer (``open_checkpointer(data_dir)`` for the
            project's SQLite one) for a graph run on its own; ``True`` for a subgraph of a
            checkpointed parent that keeps its conversation across the parent's turns
            (stored under the parent's thread, in the parent's checkpointer); ``None``
            when the host supplies persistence (LangGraph server) or none is wanted (each
            call is a new conversation); ``False``: never checkpoint, even inside a parent.
        name: the graph's name in traces.
    """
    builder = StateGraph(State, context_schema=Context, input_schema=InputState, output_schema=OutputState)
    builder.add_node("intent", intent)
    builder.add_node("rewrite", rewrite)
    builder.add_node("critic", critic)
    builder.add_node("t2i", t2i)
    builder.add_node("chat", chat)
    builder.add_edge(START, "intent")
    return builder.compile(checkpointer=checkpointer, name=name)


def is_postgres_url(db: Optional[str]) -> bool:
    """Whether ``db`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return bool(db) and str(db).split(":", 1)[0].lower() in ("postgresql", "postgres")


def open_checkpointer(data_dir: Union[str, Path, None] = None, filename: str = CHECKPOINT_FILE, *, db: Optional[str] = None):
    """The project's checkpointer: with ``db="postgresql://..."`` on that PostgreSQL
    database (checkpoints and thread index), else SQLite on ``data_dir/checkpoints.db``.
    Both store each message once, so storage grows linearly with the conversation; both
    commit a :class:`~dialoggen.agent.app.session.Session` turn by compare-and-swap.
    Raises :class:`~dialoggen.agent.errors.StorageError` with one sentence when the store
    cannot be opened."""
    if db and is_postgres_url(db):
        from .postgres import DeltaPostgresSaver

        return DeltaPostgresSaver.from_url(str(db))
    if db:
        from ..agent.errors import ConfigError

        raise ConfigError("The database setting must be a postgresql:// URL (or unset for SQLite in the data directory).")
    from .checkpointer import DeltaSqliteSaver

    if data_dir is None:
        from ..agent.context import default_data_dir

        data_dir = default_data_dir()
    return DeltaSqliteSaver.from_path(Path(data_dir).expanduser() / filename)


graph = build_graph()
