"""The four model roles behind small interfaces, and the registry that resolves a spec
string to an implementation once per process.

Roles: ``intent`` (text or image?), ``rewrite`` (request + previous prompt -> next
drawing prompt), ``chat`` (text reply), ``critic`` (checks a turn against the paper's three
rules). Each has an offline implementation (no key, no GPU) and an LLM implementation
(any langchain chat model from :mod:`dialoggen.agent.llm.models`).
"""

from __future__ import annotations

import threading
from typing import Any, Optional, Protocol, runtime_checkable

from .prompt import DrawingPrompt
from .errors import ConfigError
from .schemas import Conversation, CriticVerdict, TurnDecision
from .specs import ModelSpec


@runtime_checkable
class IntentModel(Protocol):
    name: str

    def decide(self, conv: Conversation, *, full_turn: bool = False) -> TurnDecision:
        """Decide the output modality with a confidence. With ``full_turn`` an implementation
        that can do the whole turn in one pass (an LLM serving intent, rewrite and chat) also
        fills ``reply`` or ``prompt``, so the turn costs one model call; others ignore it."""


@runtime_checkable
class Rewriter(Protocol):
    name: str

    def rewrite(self, conv: Conversation) -> DrawingPrompt:
        """The next drawing prompt: from ``conv.previous_prompt`` changed as little as the
        request allows, or a new prompt when there is none (or the request starts over)."""


@runtime_checkable
class ChatModel(Protocol):
    name: str

    def reply(self, conv: Conversation) -> str:
        """A coherent text reply to ``conv.user`` given the history (and attachment caption)."""


@runtime_checkable
class Critic(Protocol):
    name: str

    def check(self, conv: Conversation, decision: TurnDecision) -> CriticVerdict:
        """Judge a finished decision (modality plus reply or prompt) against the three rules;
        when a rule is broken, return the corrected output in the verdict."""


ROLES = ("intent", "rewrite", "chat", "critic")

_cache: dict[tuple, Any] = {}
_lock = threading.Lock()


def resolve(role: str, spec: str, *, openai_base_url: Optional[str] = None) -> Any:
    """The implementation of ``role`` for ``spec``, built once per process and reused."""
    key = (role, spec, openai_base_url)
    with _lock:
        if key not in _cache:
            _cache[key] = _build(role, spec, openai_base_url)
        return _cache[key]


def _build(role: str, spec: str, openai_base_url: Optional[str]) -> Any:
    if role not in ROLES:
        raise ConfigError(f"Unknown role '{role}': use one of {', '.join(ROLES)}.")
    parsed = ModelSpec.parse(spec, role)
    if parsed.kind == "offline":
        if role == "intent":
            from .offline.router import default_router

            return default_router()
        if role == "rewrite":
            from .rewriter.rule import RuleRewriter

            return RuleRewriter()
        if role == "chat":
            from .offline.chat import OfflineChat

            return OfflineChat()
        from .offline.critic import RuleCritic

        return RuleCritic()
    if parsed.kind == "py":
        return _import_impl(role, parsed.target)
    if parsed.kind == "none":  # chat only (the parser allows nothing else)
        from .offline.chat import NoChat

        return NoChat()
    from .llm import roles as llm_roles
    from .llm.models import load_chat_model

    model = load_chat_model(spec, openai_base_url=openai_base_url)
    cls = {"intent": llm_roles.LLMIntent, "rewrite": llm_roles.LLMRewriter, "chat": llm_roles.LLMChat, "critic": llm_roles.LLMCritic}[role]
    return cls(model, name=spec)


def _import_impl(role: str, target: str) -> Any:
    """``py:package.module:Name``: your own implementation (a class, instantiated with no
    arguments, or an instance)."""
    import importlib

    module_name, _, attr = target.partition(":")
    try:
        obj = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError):
        raise ConfigError(f"Cannot import '{target}' for the {role} role: give py:package.module:Name of an importable object.") from None
    return obj() if isinstance(obj, type) else obj


def register(role: str, spec: str, implementation: Any, *, openai_base_url: Optional[str] = None) -> None:
    """Make ``spec`` name your own implementation of ``role`` (any object with the role's
    method), e.g. ``register("intent", "my-router", MyRouter())`` then ``Context(intent="my-router")``."""
    with _lock:
        _cache[(role, spec, openai_base_url)] = implementation


def clear_cache() -> None:
    """Forget every built implementation (tests)."""
    with _lock:
        _cache.clear()
