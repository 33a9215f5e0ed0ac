"""The router's real-text corpora (``evals/data/corpora``): valid benchmark format, provenance on
every turn, labels that agree with image/expected, train and held-out from disjoint repositories,
no reserved repository, and counts above floors. Reads only the committed files (seconds); the
sealed held-out third is checked for format and counts only."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from dialoggen.evals.dataset import Conversation

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "evals" / "data" / "corpora"
BUILDER = ROOT / "evals" / "corpora" / "router_corpus.py"
SCENARIOS = ("T->T", "T->I", "I+T->T", "I+T->I")

# Repositories of RESERVED.md (also parsed from the file itself when the shared folder is there).
RESERVED_FALLBACK = {
    "lm-sys/fastchat", "thudm/alignbench", "yushi-hu/tifa", "j-min/dsg", "tencent/hunyuandit",
    "kwai-kolors/kolors", "openbmb/viscpm", "oneig-bench/oneig-benchmark", "zeqiang-lai/mini-dalle3",
    "airsplay/visualrelationships", "stepfun-ai/step1x-edit", "haotian-liu/llava",
    "picotrex/awesome-nano-banana-images", "jimmylv/awesome-nano-banana", "songguoxs/gpt4o-image-prompts",
    "timothybrooks/instruct-pix2pix", "osu-nlp-group/magicbrush", "vercel/ai", "woodchen-ink/aice_ps",
}

# Turn floors per (lang, scenario) summed over rounds; every round must hold a third of it.
TRAIN_FLOORS = {("en", "T->T"): 6000, ("en", "T->I"): 2500, ("en", "I+T->T"): 6000,
                ("en", "I+T->I"): 2000, ("zh", "T->T"): 6000, ("zh", "T->I"): 4000,
                ("zh", "I+T->T"): 2500}
HELDOUT_FLOORS = {("en", "T->T"): 300, ("en", "T->I"): 300, ("en", "I+T->T"): 300,
                  ("en", "I+T->I"): 150, ("zh", "T->T"): 600, ("zh", "T->I"): 400,
                  ("zh", "I+T->T"): 25}  # zh I+T->T: only MMBench's README samples (tiny)
# Cells no non-reserved public source filled yet (see README): kept visible, not hidden.
KNOWN_GAPS_TRAIN = {("zh", "I+T->I")}
KNOWN_GAPS_HELDOUT = {("zh", "I+T->I")}


def _load(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((DATA / "router_sources.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def splits() -> dict[str, list[dict]]:
    return {"train": _load(DATA / "router_train.jsonl.gz"),
            "heldout_dev": _load(DATA / "router_heldout_dev.jsonl"),
            "heldout_sealed": _load(DATA / "router_heldout_sealed.jsonl")}


def _cells(convs) -> Counter:
    c = Counter()
    for conv in convs:
        for r, t in enumerate(conv["turns"]):
            c[(conv["lang"], t["scenario"], r + 1)] += 1
    return c


def _norm(text: str) -> str:
    import unicodedata

    t = re.sub(r"\d+", "0", unicodedata.normalize("NFKC", text).lower())
    return "".join(ch for ch in t if ch.isalnum())


def test_every_conversation_is_valid_benchmark_format(splits):
    for name, convs in splits.items():
        ids = [c["id"] for c in convs]
        assert len(ids) == len(set(ids)), name
        for c in convs:
            conv = Conversation.model_validate(c)  # scenario agrees with image/expected
            assert len(conv.turns) == 3


def test_every_turn_has_its_origin_and_scenario_agrees(splits, manifest):
    keys = {s["key"]: s for s in manifest["sources"]}
    for name, convs in splits.items():
        role = "train" if name == "train" else "heldout"
        for c in convs:
            for t in c["turns"]:
                assert t["origin"] in keys and t["item"].startswith(t["origin"] + ":"), t["item"]
                assert keys[t["origin"]]["role"] == role, (name, t["origin"])
                has_image = t["image"] is not None
                assert t["scenario"].startswith("I+T") == has_image
                assert t["scenario"].endswith("I") == (t["expected"] == "image")
                if has_image:
                    assert t["image"]["caption"].strip()
                    assert keys[t["image_origin"]]["role"] == role, (name, t["image_origin"])
                assert t["user"].strip() and t["user"] == t["user"].strip()


def test_no_source_in_both_train_and_heldout(manifest):
    roles: dict[str, set] = {}
    for s in manifest["sources"]:
        roles.setdefault(s["repo"].lower(), set()).add(s["role"])
        assert s["commit"] and re.fullmatch(r"[0-9a-f]{40}", s["commit"]), s["repo"]
        assert s["licence"] and s["paths"], s["repo"]
    assert all(len(r) == 1 for r in roles.values()), roles
    assert {"train", "heldout"} <= {next(iter(r)) for r in roles.values()}


def test_no_reserved_repository(manifest):
    reserved = set(RESERVED_FALLBACK)
    for cand in (ROOT.parent / "shared" / "benchmark" / "RESERVED.md", Path("/work/shared/benchmark/RESERVED.md")):
        if cand.exists():
            spec = importlib.util.spec_from_file_location("router_corpus", BUILDER)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            reserved |= mod.reserved_repos(cand)
            break
    used = {s["repo"].lower() for s in manifest["sources"]}
    assert not used & reserved, used & reserved
    assert not {s["key"] for s in manifest["sources"]} & {"fastchat", "llava", "tifa", "dsg"}


def test_no_heldout_text_in_train(splits):
    train = {_norm(t["user"]) for c in splits["train"] for t in c["turns"]}
    for name in ("heldout_dev", "heldout_sealed"):
        held = {_norm(t["user"]) for c in splits[name] for t in c["turns"]}
        assert not train & held, name


def test_turns_are_deduplicated(splits):
    for name, convs in splits.items():
        keys = [_norm(t["user"]) for c in convs for t in c["turns"]]
        assert len(keys) == len(set(keys)), name


def test_train_counts_above_floors(splits):
    cells = _cells(splits["train"])
    assert sum(cells.values()) >= 30000
    for (lang, scen), floor in TRAIN_FLOORS.items():
        assert sum(cells[(lang, scen, r)] for r in (1, 2, 3)) >= floor, (lang, scen)
        assert all(cells[(lang, scen, r)] >= floor // 4 for r in (1, 2, 3)), (lang, scen)
    for lang, scen in KNOWN_GAPS_TRAIN:  # documented gap: update README and floors when filled
        assert sum(cells[(lang, scen, r)] for r in (1, 2, 3)) == 0
    langs = Counter(c["lang"] for c in splits["train"])
    assert min(langs.values()) / max(langs.values()) > 0.5  # balanced-ish


def test_heldout_counts_above_floors(splits):
    dev, sealed = splits["heldout_dev"], splits["heldout_sealed"]
    assert len(dev) + len(sealed) >= 600
    assert 0.25 <= len(sealed) / (len(dev) + len(sealed)) <= 0.4
    cells = _cells(dev) + _cells(sealed)
    for (lang, scen), floor in HELDOUT_FLOORS.items():
        assert sum(cells[(lang, scen, r)] for r in (1, 2, 3)) >= floor, (lang, scen)
        assert all(cells[(lang, scen, r)] > 0 for r in (1, 2, 3)), (lang, scen)
        assert all(_cells(dev)[(lang, scen, r)] > 0 for r in (1, 2, 3)), (lang, scen)
    for lang, scen in KNOWN_GAPS_HELDOUT:
        assert sum(cells[(lang, scen, r)] for r in (1, 2, 3)) == 0
    assert {c["lang"] for c in dev} == {"en", "zh"} == {c["lang"] for c in sealed}


def test_manifest_counts_match_the_files(splits, manifest):
    used = Counter(t["origin"] for convs in splits.values() for c in convs for t in c["turns"])
    for s in manifest["sources"]:
        assert s["turns_used"] == used[s["key"]], s["key"]
        assert s["turns_used"] + s["captions_used"] > 0, s["key"]
    dev_flagged = {s["key"] for s in manifest["sources"] if s["dev_set_source"]}
    assert {"selfinstruct", "partiprompts", "dialprompt"} <= dev_flagged
    assert manifest["counts"]["train"]["turns"] == sum(_cells(splits["train"]).values())


def test_builder_says_in_one_sentence_when_a_mirror_is_missing(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("router_corpus", BUILDER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    bench = tmp_path / "bench"
    bench.mkdir()
    (bench / "RESERVED.md").write_text("| repository | what |\n|---|---|\n| a/b | x |\n")
    rc = mod.main(["--mirrors", str(tmp_path / "none"), "--out", str(tmp_path / "out"), "--benchmark", str(bench)])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert "mirror of" in err and "missing" in err and err.count("\n") == 0
    assert not (tmp_path / "out").exists()


def test_train_file_is_small_enough():
    assert (DATA / "router_train.jsonl.gz").stat().st_size < 15 * 1024 * 1024
