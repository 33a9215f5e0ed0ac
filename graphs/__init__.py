"""The DialogGen LangGraph: ``build_graph()``, the project's SQLite checkpointer, and
``as_tool()`` (the graph as one LangChain tool)."""

from .graph import build_graph, graph, open_checkpointer
from .tool import as_tool

__all__ = ["as_tool", "build_graph", "graph", "open_checkpointer"]
