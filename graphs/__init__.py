"""The DialogGen LangGraph: ``build_graph()`` and the project's SQLite checkpointer."""

from .graph import build_graph, graph, open_checkpointer

__all__ = ["build_graph", "graph", "open_checkpointer"]
