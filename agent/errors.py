"""Errors a user can cause. Each carries one sentence that says what to do.

The CLI prints ``str(err)`` and nothing else (no traceback); the graph never records a
turn that raised one, so no earlier turn is lost.
"""

from __future__ import annotations


class DialogGenError(Exception):
    """Base class: the message is one plain sentence addressed to the user."""


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
