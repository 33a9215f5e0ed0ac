"""The graph's state schema, in one place.

``State`` is what checkpoints hold: messages (LangGraph's ``add_messages``), one record per
finished turn, the thread's seed, and per-turn scratch values that each node fills in.
Images appear only as :class:`~dialoggen.agent.schemas.ImageRef` (path + sha256).

``InputState`` and ``OutputState`` are the narrow schemas a caller sees.
"""

from __future__ import annotations

import operator
from typing import Annotated, Optional

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

from .schemas import ImageRef, TurnRecord


def _keep_or_replace(left, right):
    """Reducer for scratch values: a node's write replaces; ``None`` writes clear."""
    return right


class InputState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]  # the new user message (one HumanMessage)
    attachment: Optional[ImageRef]  # image attached to this turn, already stored
    seed: Optional[int]  # set or change the thread's seed


class OutputState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    last_turn: Optional[TurnRecord]  # the record of the turn just finished
    seed: Optional[int]


class State(InputState, OutputState, total=False):
    turns: Annotated[list[TurnRecord], operator.add]  # append-only, one per finished turn
    # Scratch for the turn in progress; cleared by the next turn's intent node.
    decision: Optional[dict]  # TurnDecision.model_dump()
    draft: Optional[dict]  # the TurnRecord being built
    # draft["llm_draw"] (scratch, never in a finished record): the drawing text an LLM wrote in
    # the T2I model's language in the same call, {"text", "lang", "prompt_text"}; the t2i node
    # draws it only while draft["prompt_text"] still equals the prompt_text it was written for.
