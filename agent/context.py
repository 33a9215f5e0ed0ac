"""Runtime context: what may change per call without touching the thread's state.

Passed as ``graph.invoke(input, config, context=Context(...))`` (LangGraph runtime
context). Every model is named by a *spec string*, resolved and cached by
:mod:`dialoggen.agent.roles`:

- ``offline``: the built-in default for the role (router, rule rewriter, SmolLM2, rule critic)
- ``openai:MODEL``: an OpenAI-compatible endpoint (``openai_base_url`` for vLLM, Ollama, llama.cpp)
- ``hf:PATH_OR_HUB_ID``: a transformers chat or vision-language model
- ``py:package.module:Name``: your own implementation of the role (a class or an instance)
- ``diffusers:PATH_OR_HUB_ID`` (t2i only) and ``none`` (t2i: prompt-only; chat: no reply text)

The critic is off when ``critic`` is ``None``; switch it per call (GPT-4 for one turn,
the local rules for the next, same thread). No secrets live here: API keys come from the
environment only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class Context:
    intent: str = "offline"
    rewrite: str = "offline"
    chat: str = "offline"
    critic: Optional[str] = None
    t2i: str = "none"
    data_dir: str = field(default_factory=lambda: _default_data_dir())
    openai_base_url: Optional[str] = None
    img2img_strength: float = 0.6
    steps: Optional[int] = None  # denoising steps; None = the pipeline's default
    image_size: Optional[int] = None  # height = width; None = the pipeline's default
    default_seed: int = 42  # a new thread's seed unless the input sets one
    max_input_chars: int = 4000
    # With an LLM for intent: let the offline router decide alone when it is at least this
    # confident, saving the LLM call (None = always ask the LLM).
    router_shortcut: Optional[float] = None


def _default_data_dir() -> str:
    from .config import default_data_dir

    return str(default_data_dir())
