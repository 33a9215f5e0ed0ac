"""Errors a user can cause. Each carries one sentence that says what to do.

The CLI prints ``str(err)`` and nothing else (no traceback); the graph never records a
turn that raised one, so no earlier turn is lost.

Secrets never reach a message: every error's text passes :func:`redact` (credentials in a
URL, ``Bearer`` tokens, ``sk-...`` keys, ``api_key=...`` and the value of ``$OPENAI_API_KEY``
become ``***``), and :func:`redact_logs` applies the same to the log records of the HTTP
libraries a model call goes through.
"""

from __future__ import annotations

import logging
import os
import re

#: What a secret is replaced with.
MASK = "***"

# scheme://user:password@host or scheme://token@host -> scheme://***@host
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/@\s?#]+)@")
_PATTERNS = (
    re.compile(r"(?i)(?P<keep>\bbearer\s+)[A-Za-z0-9._~+/=-]{4,}"),
    re.compile(r"(?P<keep>)\bsk-[A-Za-z0-9_-]{6,}"),
    re.compile(r"(?i)(?P<keep>\b(?:api[_-]?key|access[_-]?token|token|password|secret)\s*[=:]\s*['\"]?)[^\s'\"&,;]{4,}"),
)


def redact(text: object) -> str:
    """``text`` with credentials masked: URL userinfo, bearer tokens, ``sk-`` keys,
    ``key=value`` secrets, and the current ``$OPENAI_API_KEY`` wherever it appears."""
    out = str(text)
    key = os.environ.get("OPENAI_API_KEY") or ""
    if len(key) >= 6:
        out = out.replace(key, MASK)
    out = _USERINFO.sub(lambda m: f"{m['scheme']}{MASK}@", out)
    for pattern in _PATTERNS:
        out = pattern.sub(lambda m: f"{m['keep']}{MASK}", out)
    return out


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """``(url without credentials, (user, password) or None)`` for a base URL such as
    ``http://user:key@host/v1``; the credentials then travel as HTTP basic auth, never in a URL
    that could be logged or traced."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=hostport)), (unquote(user), unquote(password))


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error path
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_FILTER = _RedactingFilter()


#: Loggers a model call writes to (a logger's filters see only its own records, not its children's).
CALL_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "openai",
    "openai._base_client",
    "langchain_openai.chat_models.base",
    "dialoggen.agent.llm.roles",
    "dialoggen.agent.llm.models",
)


def redact_logs(*names: str) -> None:
    """Mask secrets in the records of these loggers (default: :data:`CALL_LOGGERS`); idempotent."""
    for name in names or CALL_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


class DialogGenError(Exception):
    """Base class: the message is one plain sentence addressed to the user (secrets masked)."""

    def __init__(self, *args: object) -> None:
        super().__init__(*(redact(a) if isinstance(a, str) else a for a in args))


class ConfigError(DialogGenError):
    """A model spec, path or setting is wrong or missing (bad spec, missing weights, no key)."""


class InputError(DialogGenError):
    """The user's input was refused (too long, bad attachment, ...)."""


class ModelUnavailableError(DialogGenError):
    """A configured model could not be reached or loaded (endpoint down, path missing)."""


class StorageError(ConfigError):
    """The conversation store cannot be opened or written (bad data directory or database
    URL, read-only file, full disk, locked database)."""


class ThreadBusyError(DialogGenError):
    """Another writer changed the thread while this turn ran, too often to retry."""


class NoDiskSpaceError(DialogGenError):
    """There is not enough free disk space for what was asked (a training run's output)."""


class ModelTimeoutError(ModelUnavailableError):
    """A model call ran past its deadline (``Context.llm_timeout``); it is not retried."""


class ThreadForkError(ThreadBusyError):
    """A plain (unstaged) write found that another writer moved the thread's head after this
    run read it; storing it would fork the thread, so it was refused."""
