"""graphs/graph.py details a sampled mutation run found untested: the graph's name, the
served graph ``langgraph.json`` loads, which database settings count as PostgreSQL."""

from __future__ import annotations

import pytest

from dialoggen.agent.context import Context
from dialoggen.agent.errors import ConfigError
from dialoggen.graphs import build_graph, open_checkpointer
import importlib
from dialoggen.graphs.checkpointer import DeltaSqliteSaver
from dialoggen.graphs.graph import is_postgres_url
from dialoggen.graphs.serve import CallerContext


def test_graph_name_is_dialoggen_in_traces_and_as_a_subgraph() -> None:
    assert build_graph().name == "dialoggen"
    assert build_graph(name="drawer").name == "drawer"


def test_the_served_graph_admits_callers_the_local_one_does_not() -> None:
    served = importlib.import_module("dialoggen.graphs.graph").graph  # what langgraph.json serves
    assert "admit" in served.nodes and served.context_schema is CallerContext
    local = build_graph()
    assert "admit" not in local.nodes and local.context_schema is Context


@pytest.mark.parametrize(
    "db, expected",
    [("postgresql://u@h/db", True), ("postgres://h/db", True), ("PostgreSQL://h/db", True), ("postgresql+psycopg://h", False),
     ("sqlite:///x.db", False), ("/tmp/postgres.db", False), ("", False), (None, False)],
)
def test_is_postgres_url(db, expected) -> None:
    assert is_postgres_url(db) is expected


def test_open_checkpointer_refuses_other_database_urls_in_one_sentence(tmp_path) -> None:
    with pytest.raises(ConfigError) as err:
        open_checkpointer(tmp_path, db="mysql://h/db")
    assert str(err.value) == "The database setting must be a postgresql:// URL (or unset for SQLite in the data directory)."
    s = open_checkpointer(tmp_path)
    try:
        assert isinstance(s, DeltaSqliteSaver) and s.path == tmp_path / "checkpoints.db"
    finally:
        s.close()
