"""Runtime context: what may change per call without touching the thread's state, and the
one list of DialogGen's settings.

Passed as ``graph.invoke(input, config, context=Context(...))`` (LangGraph runtime
context). :mod:`dialoggen.agent.config` derives the user configuration (flags, ``DIALOGGEN_*``
environment variables, the TOML file) from the fields below, so a setting is declared here
once. Every model is named by a *spec string* (:mod:`dialoggen.agent.specs`), resolved and
cached by :mod:`dialoggen.agent.roles`:

- ``offline``: the built-in default for the role (router, rule rewriter, SmolLM2, rule critic)
- ``openai:MODEL``: an OpenAI-compatible endpoint (``openai_base_url`` for vLLM, Ollama, llama.cpp)
- ``hf:PATH_OR_HUB_ID``: a transformers chat or vision-language model
- ``py:package.module:Name``: your own implementation of the role (a class or an instance)
- ``diffusers:PATH_OR_HUB_ID`` (t2i only) and ``none`` (t2i: prompt-only; chat: no reply text)

The critic is off when ``critic`` is ``None``; switch it per call (GPT-4 for one turn,
the local rules for the next, same thread) with ``dataclasses.replace(ctx, critic=...)``,
which keeps every other setting. No secrets live here: API keys come from the environment only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional


def default_data_dir() -> Path:
    """Per-user data directory (``$DIALOGGEN_DATA_DIR``, else XDG data home)."""
    env = os.environ.get("DIALOGGEN_DATA_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "dialoggen"


def default_config_file() -> Path:
    """The TOML config file (``$DIALOGGEN_CONFIG``, else ``~/.config/dialoggen/config.toml``)."""
    env = os.environ.get("DIALOGGEN_CONFIG")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "dialoggen" / "config.toml"


def _setting(default, help: str, **constraints):
    """A dataclass field carrying its help text and pydantic constraints (``ge``, ``le``)."""
    meta = {"help": help, **constraints}
    if callable(default):
        return field(default_factory=default, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Context:
    intent: str = _setting("offline", "Model spec for the intent role (text or image?).")
    rewrite: str = _setting("offline", "Model spec for the rewrite role (the drawing prompt).")
    chat: str = _setting("offline", "Model spec for the chat role (text replies); none = no reply text.")
    critic: Optional[str] = _setting(None, "Model spec for the critic; unset = off.")
    t2i: str = _setting("none", "Text-to-image spec: diffusers:PATH_OR_HUB_ID, or none (prompt-only).")
    data_dir: str = _setting(lambda: str(default_data_dir()), "Where conversations and images live.")
    openai_base_url: Optional[str] = _setting(None, "Base URL of an OpenAI-compatible server (vLLM, Ollama, llama.cpp).")
    img2img_strength: float = _setting(0.6, "How far an edit may move from the previous picture (0-1).", ge=0.0, le=1.0)
    steps: Optional[int] = _setting(None, "Denoising steps; unset = the pipeline's default.", ge=1)
    image_size: Optional[int] = _setting(None, "Picture height = width in pixels; unset = the pipeline's default.", ge=64)
    default_seed: int = _setting(42, "A new thread's seed unless the input sets one.", ge=0, le=2**64 - 1)
    max_input_chars: int = _setting(4000, "Longest user message accepted.", ge=1)
    router_shortcut: Optional[float] = _setting(
        None, "With an LLM for intent: the offline router decides alone at least this confident (unset = always ask the LLM).", ge=0.5, le=1.0
    )
    prompt_lang: str = _setting(
        "auto", "Language of the text the T2I model draws from: en, zh, or auto (the model's language when known, else the conversation's).",
        pattern=r"^(auto|en|zh)$",
    )
    chat_threads: Optional[int] = _setting(
        None, "torch threads for the offline chat model; unset = the cores the machine's load leaves idle (1-4).", ge=1
    )
    trace: Optional[str] = _setting(
        None, "OpenTelemetry traces: otlp[:ENDPOINT] (Phoenix, Langfuse, any OTLP/HTTP collector) or file:PATH (JSON lines); unset = off."
    )
    db: Optional[str] = _setting(
        None, "Where conversations are kept: unset = SQLite in data_dir; postgresql://USER@HOST/DB = a PostgreSQL server (password in PGPASSWORD or ~/.pgpass)."
    )
    # Bounds on every call to an LLM role (openai: and hf: specs); see README "Local LLM servers".
    max_tokens_intent: int = _setting(64, "Most tokens an LLM may write for the intent decision (text or image).", ge=8)
    max_tokens_rewrite: int = _setting(256, "Most tokens an LLM may write for the prompt changes.", ge=16)
    max_tokens_chat: int = _setting(512, "Most tokens an LLM may write for a text reply (and for a single-pass turn).", ge=16)
    max_tokens_critic: int = _setting(256, "Most tokens an LLM may write for the critic's verdict and correction.", ge=16)
    llm_timeout: float = _setting(
        60.0, "Seconds one call to an OpenAI-compatible server may take in all (connect, wait, read, retries); then it fails as timed out.", gt=0
    )
    llm_retries: int = _setting(
        1, "Retries of a call refused, unreachable, rate-limited or failed (HTTP 5xx), within llm_timeout; a timed-out call is never retried.", ge=0, le=5
    )
