"""The graph's nodes, one file each: intent, rewrite, critic, t2i, chat."""

from .chat import chat
from .critic import critic
from .intent import intent
from .rewrite import rewrite
from .t2i import t2i

__all__ = ["intent", "rewrite", "critic", "t2i", "chat"]
