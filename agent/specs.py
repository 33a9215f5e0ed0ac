"""Model specs: the one grammar that names a model for a role, parsed in one place.

===========================  ===============================================  ======================
spec                         what it names                                    roles
===========================  ===============================================  ======================
``offline``                  the built-in model of the role                   intent, rewrite, chat, critic
``none``                     no model: no reply text / prompt-only drawing    chat, t2i
``openai:MODEL``             an OpenAI-compatible server (``openai_base_url``) intent, rewrite, chat, critic
``hf:PATH_OR_HUB_ID``        a transformers chat or vision-language model      intent, rewrite, chat, critic
``py:package.module:Name``   your own implementation of the role              intent, rewrite, chat, critic
``diffusers:PATH_OR_HUB_ID`` a diffusers text-to-image pipeline                t2i
===========================  ===============================================  ======================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import ConfigError

Kind = Literal["offline", "none", "openai", "hf", "py", "diffusers"]

#: The spec forms each role accepts, in the words of error messages.
FORMS: dict[str, str] = {
    "intent": "offline, openai:MODEL, hf:PATH_OR_HUB_ID or py:module:Name",
    "rewrite": "offline, openai:MODEL, hf:PATH_OR_HUB_ID or py:module:Name",
    "chat": "offline, none, openai:MODEL, hf:PATH_OR_HUB_ID or py:module:Name",
    "critic": "offline, openai:MODEL, hf:PATH_OR_HUB_ID or py:module:Name",
    "t2i": "diffusers:PATH_OR_HUB_ID (e.g. diffusers:stabilityai/sd-turbo) or none",
    "llm": "offline, openai:MODEL, hf:PATH_OR_HUB_ID",
}
_KINDS: dict[str, tuple[str, ...]] = {
    "intent": ("offline", "openai", "hf", "py"),
    "rewrite": ("offline", "openai", "hf", "py"),
    "chat": ("offline", "none", "openai", "hf", "py"),
    "critic": ("offline", "openai", "hf", "py"),
    "t2i": ("none", "diffusers"),
    "llm": ("openai", "hf"),
}


@dataclass(frozen=True)
class ModelSpec:
    """A parsed spec: ``kind`` and ``target`` (model name, path, hub id or import path).
    ``raw`` is the spec as given."""

    kind: Kind
    target: str
    raw: str

    @classmethod
    def parse(cls, spec: str, role: str) -> "ModelSpec":
        """Parse ``spec`` for ``role`` (``intent``, ``rewrite``, ``chat``, ``critic``, ``t2i``,
        or ``llm`` for a chat model alone). Raises :class:`ConfigError` naming the accepted forms."""
        if role not in FORMS:
            raise ConfigError(f"Unknown role '{role}': use one of {', '.join(r for r in FORMS if r != 'llm')}.")
        raw = (spec or "").strip()
        low = raw.lower()
        prefix, sep, rest = raw.partition(":")
        rest = rest.strip()
        if low in ("offline", "none"):
            kind: Kind = low  # type: ignore[assignment]
            target = ""
        elif sep and prefix.lower() in ("openai", "hf", "py", "diffusers") and rest:
            kind, target = prefix.lower(), rest  # type: ignore[assignment]
        else:
            kind, target = "", ""  # type: ignore[assignment]
        if kind not in _KINDS[role]:
            what = "text-to-image spec" if role == "t2i" else "model spec"
            shown = raw if len(raw) <= 80 else raw[:77] + "..."
            raise ConfigError(f"Unknown {what} '{shown}' for {role}: use {FORMS[role]}.")
        return cls(kind=kind, target=target, raw=raw)
