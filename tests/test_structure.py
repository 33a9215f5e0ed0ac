"""The package's shape: no import cycle between its modules (lazy imports inside functions
count too), every prompt is a file under prompts/, and the LangGraph server's spec names the
graph by module."""

from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("agent", "graphs", "tools", "prompts", "evals")


def _modules() -> dict[str, Path]:
    out = {}
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            is_pkg = parts[-1] == "__init__"
            if is_pkg:
                parts = parts[:-1]
            out["dialoggen." + ".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``name`` imports (at module level or inside functions)."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_anywhere_in_the_package():
    mods = _modules()
    known = set(mods)
    # Importing a submodule runs its package's __init__ first: a package __init__ that imports
    # its own submodules is not a cycle of ours, so edges into a package's own __init__ from
    # inside it are left out.
    graph = {m: {t for t in _imports(m, p, known) if not (m.startswith(t + ".") and mods[t].name == "__init__.py")} for m, p in mods.items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_holds_a_prompt_text():
    """Prompts live under prompts/: no module defines a system prompt as a string literal."""
    offenders = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and "PROMPT" in t.id and t.id.isupper() for t in node.targets):
                text = " ".join(c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and isinstance(c.value, str))
                if len(text) > 60 and text.count(" ") >= 8:  # prose, not a key name like "dialoggen:prompt"
                    offenders.append(f"{name}:{node.lineno}")
    assert offenders == []


def test_langgraph_json_names_the_graph_by_module():
    spec = json.loads((ROOT / "langgraph.json").read_text())
    target = spec["graphs"]["dialoggen"]
    module, _, attr = target.partition(":")
    assert module == "dialoggen.graphs.graph" and attr == "graph"
    import importlib

    assert importlib.import_module(module).graph is not None


# Folder layers, lowest first: a module may import its own layer and the ones below it.
# agent/app (the front ends) sits on top of everything; the domain core never reaches up.
LAYERS = (
    ("dialoggen.prompts",),
    ("dialoggen.agent",),  # core, llm, offline, rewriter (not app)
    ("dialoggen.tools",),
    ("dialoggen.graphs",),
    ("dialoggen.evals",),
    ("dialoggen.agent.app",),
)


def _layer(module: str) -> int:
    best, depth = -1, -1
    for i, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > depth:
                best, depth = i, len(p)
    return best


def test_folders_import_downwards_only():
    mods = _modules()
    known = set(mods)
    upward = sorted(
        f"{m} -> {t}" for m, p in mods.items() for t in _imports(m, p, known) if _layer(t) > _layer(m)
    )
    assert upward == []
