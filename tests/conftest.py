"""Shared fixtures: the fake roles of ``tests/fakes.py`` registered under the spec
``fake`` so a graph runs with ``Context(intent="fake", rewrite="fake", chat="fake")``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from dialoggen.agent import roles  # noqa: E402
from fakes import FakeChat, FakeCritic, FakeIntent, FakeRewriter  # noqa: E402

@pytest.fixture
def fake_roles():
    """Register the fakes under the spec ``fake`` (``fake-critic`` for the critic)."""
    impls = {"intent": FakeIntent(), "rewrite": FakeRewriter(), "chat": FakeChat(), "critic": FakeCritic()}
    for role, impl in impls.items():
        roles.register(role, "fake" if role != "critic" else "fake-critic", impl)
    yield impls
    roles.clear_cache()


@pytest.fixture
def fake_context(tmp_path):
    from dialoggen.agent.context import Context

    return Context(intent="fake", rewrite="fake", chat="fake", critic=None, t2i="none", data_dir=str(tmp_path / "data"))
