"""The real edit-request set (evals/data/rewrite): schema, ids, splits, sizes, sources.

Reads the sealed file only for ids, counts and schema, never to look at its items' text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "evals" / "data" / "rewrite"
KINDS = {"add", "remove", "replace", "recolor", "style", "background", "global", "pose", "multi", "other"}
PARTS = {"subject", "background", "shot", "style"}
TARGETS = PARTS | {"extras", None}


def _load(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def dev() -> list[dict]:
    return _load("real_dev.jsonl")


@pytest.fixture(scope="module")
def sealed() -> list[dict]:
    return _load("real_sealed.jsonl")


def _reserved_repos() -> set[str]:
    path = ROOT.parent.parent / "shared" / "benchmark" / "RESERVED.md"
    if not path.exists():
        path = Path("/work/shared/benchmark/RESERVED.md")
    if not path.exists():
        pytest.skip("RESERVED.md not available here")
    repos = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            repos.update(m.lower() for m in re.findall(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", line.split("|")[1]))
    return repos


def _is_phrase(x) -> bool:
    return isinstance(x, str) and x.strip() != ""


def test_schema(dev, sealed):
    for it in dev + sealed:
        assert {"id", "lang", "source", "item", "first_turn", "request", "kind", "expect"} <= set(it)
        assert it["lang"] in ("en", "zh")
        assert it["kind"] in KINDS
        assert _is_phrase(it["first_turn"]) and _is_phrase(it["request"])
        e = it["expect"]
        assert set(e) == {"must_include", "must_exclude", "keep", "target_part"}
        for inc in e["must_include"]:
            assert _is_phrase(inc) or (isinstance(inc, list) and inc and all(_is_phrase(x) for x in inc)), it["id"]
        assert all(_is_phrase(x) for x in e["must_exclude"]), it["id"]
        assert set(e["keep"]) <= PARTS, it["id"]
        assert e["target_part"] in TARGETS, it["id"]
        assert e["target_part"] not in e["keep"], it["id"]
        # an edit that adds/changes something must say what has to appear or disappear
        assert e["must_include"] or e["must_exclude"], it["id"]
        if it["kind"] in ("add", "replace", "recolor", "style", "background", "pose", "multi"):
            assert e["must_include"], it["id"]


def test_ids_unique_and_splits_disjoint(dev, sealed):
    ids_dev = [it["id"] for it in dev]
    ids_sealed = [it["id"] for it in sealed]
    assert len(set(ids_dev)) == len(ids_dev)
    assert len(set(ids_sealed)) == len(ids_sealed)
    assert not set(ids_dev) & set(ids_sealed)
    reqs = lambda part: {(it["lang"], it["first_turn"], it["request"]) for it in part}  # noqa: E731
    assert not reqs(dev) & reqs(sealed)


def test_sealed_is_a_third(dev, sealed):
    total = len(dev) + len(sealed)
    assert abs(len(sealed) - total / 3) <= len({(it["lang"], it["kind"]) for it in dev + sealed})


def test_english_size(dev, sealed):
    assert sum(it["lang"] == "en" for it in dev + sealed) >= 400


def test_chinese_size(dev, sealed):
    assert sum(it["lang"] == "zh" for it in dev + sealed) >= 300


def test_manifest_sources(dev, sealed):
    manifest = json.loads((DATA / "sources.json").read_text(encoding="utf-8"))
    reserved = _reserved_repos()
    names = set()
    for s in manifest["sources"]:
        assert s["repo"].lower() not in reserved, s["repo"]
        assert re.fullmatch(r"[0-9a-f]{40}", s["commit"])
        assert s["licence"] and s["path"] and s["lang"] in ("en", "zh")
        assert "human_written" in s and s["authorship"]
        names.add(s["name"])
        assert s["count"] == sum(it["source"] == s["name"] for it in dev + sealed)
    assert {it["source"] for it in dev + sealed} <= names


# --- the caption first-turn files (issue 12, this session) ----------------------------------------


@pytest.fixture(scope="module")
def cap_dev() -> list[dict]:
    return _load("real_cap_dev.jsonl")


@pytest.fixture(scope="module")
def cap_sealed() -> list[dict]:
    return _load("real_cap_sealed.jsonl")


def test_caption_items_are_real_first_turns_of_template_items(dev, sealed, cap_dev, cap_sealed):
    by_id = {it["id"]: it for it in dev + sealed}
    sealed_ids = {it["id"] for it in sealed}
    for part, is_sealed in ((cap_dev, False), (cap_sealed, True)):
        for it in part:
            base = by_id[it["template_item"]]  # reads the sealed base only for its id and template
            assert it["id"] == base["id"] + "-cap"
            assert base["first_turn_origin"] == "template-ours"
            assert it["first_turn_origin"].startswith("caption:")
            assert it["first_turn"] != base["first_turn"]
            assert it["first_turn"].startswith("Draw ") if it["lang"] == "en" else it["first_turn"].startswith("画")
            assert (it["template_item"] in sealed_ids) == is_sealed  # the split is inherited
            assert it["request"] == base["request"] and it["kind"] == base["kind"]


def test_caption_items_schema_and_sizes(cap_dev, cap_sealed):
    test_schema(cap_dev, cap_sealed)
    test_ids_unique_and_splits_disjoint(cap_dev, cap_sealed)
    total = len(cap_dev) + len(cap_sealed)
    assert total >= 400 and 0.25 <= len(cap_sealed) / total <= 0.4


def test_caption_manifest(cap_dev, cap_sealed):
    manifest = json.loads((DATA / "sources.json").read_text(encoding="utf-8"))["captions"]
    reserved = _reserved_repos()
    assert manifest["dev"] == len(cap_dev) and manifest["sealed"] == len(cap_sealed)
    used = {}
    for it in cap_dev + cap_sealed:
        used[it["first_turn_origin"].split(":", 1)[1]] = used.get(it["first_turn_origin"].split(":", 1)[1], 0) + 1
    for s in manifest["sources"]:
        assert s["repo"].lower() not in reserved
        assert re.fullmatch(r"[0-9a-f]{40}", s["commit"]) and s["licence"] and s["authorship"] and s["path"]
        assert s["used"] == used.get(s["name"], 0)
    assert set(used) <= {s["name"] for s in manifest["sources"]}


def test_the_build_reproduces_the_files(tmp_path):
    """With the mirrors present, the builder rewrites every file byte for byte (the old sealed
    file included: it was measured once and must not change)."""
    import subprocess
    import sys

    if not Path("/work/.mirror/li-xirong+coco-cn/repo").exists():
        pytest.skip("mirrors not available here")
    subprocess.run([sys.executable, str(ROOT / "evals" / "corpora" / "edit_requests.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True, timeout=600)
    for name in ("real_dev.jsonl", "real_sealed.jsonl", "real_cap_dev.jsonl", "real_cap_sealed.jsonl", "sources.json"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
