"""Installed, the card's folders live under the one namespace ``dialoggen``: an editable
install and a built wheel import the same modules the same way, squat no generic name
(``agent``, ``tools``, ``evals``...), and ship the prompts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = r"""
import importlib, json, pkgutil, sys
import dialoggen
mods = {}
for pkg in ("agent", "graphs", "graphs.nodes", "tools", "prompts", "evals"):
    m = importlib.import_module("dialoggen." + pkg)
    mods[pkg] = sorted(i.name for i in pkgutil.iter_modules(m.__path__))
squatted = [n for n in ("agent", "tools", "evals", "graphs", "prompts") if importlib.util.find_spec(n) is not None]
from dialoggen.prompts import load_prompt
from dialoggen.graphs import build_graph
print(json.dumps({"mods": mods, "squatted": squatted, "namespace": not hasattr(dialoggen, "__file__") or dialoggen.__file__ is None,
                  "graph_nodes": sorted(build_graph().get_graph().nodes), "where": importlib.import_module("dialoggen.agent").__file__}))
"""


def probe(python: str, cwd: Path) -> dict:
    out = subprocess.run([python, "-c", PROBE], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # setuptools builds in ./build and lists sources in ./dialoggen.egg-info: a stale copy of
    # either (modules since moved, data files an earlier pattern matched) would go into the
    # wheel and hide a packaging bug that a fresh clone has, so start from none.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    shutil.rmtree(ROOT / "dialoggen.egg-info", ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    return next(dist.glob("dialoggen-*.whl"))


def test_wheel_has_only_the_dialoggen_namespace(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"dialoggen"}
    assert "dialoggen/__init__.py" not in names  # PEP 420 namespace
    assert any(n.startswith("dialoggen/prompts/") and n.endswith(".md") for n in names)
    assert not any(n.startswith("dialoggen/tests") for n in names)
    # the offline translator reads every file of its data folder at run time
    data = sorted(f.name for f in (ROOT / "agent" / "offline" / "data").iterdir() if f.is_file())
    assert data and [f for f in data if f"dialoggen/agent/offline/data/{f}" not in names] == []


def test_editable_and_wheel_import_the_same_way(wheel, tmp_path):
    editable = probe(sys.executable, tmp_path)
    assert Path(editable["where"]).parent == ROOT / "agent"

    # A fresh venv holding only the wheel; its dependencies come from this environment's
    # site-packages through a .pth (whose own .pth files, the editable finder among them,
    # are not processed), so the wheel, not the checkout, provides dialoggen.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = str(venv / "bin" / "python")
    site = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    installed = probe(py, tmp_path)
    assert Path(installed["where"]).is_relative_to(site)
    assert installed["mods"] == editable["mods"]
    assert installed["graph_nodes"] == editable["graph_nodes"]
    assert installed["squatted"] == editable["squatted"] == []
    assert installed["namespace"] and editable["namespace"]
