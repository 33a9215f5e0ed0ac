"""The offline intent router: packaged head, clear cases in both languages, conversation
rules (follow-ups, attachments), calibration and the abstain notice, embedding cache, and a
training run on a tiny generated set."""

from __future__ import annotations

import json
import zipfile
from importlib import resources

import numpy as np
import pytest

from dialoggen.agent.errors import ConfigError
from dialoggen.agent.schemas import Conversation
from dialoggen.agent.roles import IntentModel
from dialoggen.agent.offline.router import FEATURE_DIM, HEAD_FILE, OfflineRouter, RouterHead, TurnContext, clip_text, opening
from dialoggen.agent.schemas import TurnDecision

CAPTION = {"path": "/tmp/x.png", "sha256": "0" * 64, "caption": "A brown dog lying on a sofa next to a window."}


@pytest.fixture(scope="module")
def router() -> OfflineRouter:
    return OfflineRouter.load()


def conv(user: str, *, lang: str = "en", attach: bool = False, history: tuple[tuple[str, str], ...] = ()) -> Conversation:
    turns = [{"turn": i + 1, "user": u, "modality": m, "prompt": {"subject": u} if m == "image" else None} for i, (u, m) in enumerate(history)]
    return Conversation(user=user, lang=lang, turns=turns, attachment=CAPTION if attach else None)


CLEAR = [
    # (conversation, expected modality)
    (conv("Could you paint a picture of a fox sleeping under a maple tree?"), "image"),
    (conv("How many moons does Jupiter have?"), "text"),
    (conv("What is the dog in this photo doing?", attach=True), "text"),
    (conv("Now make the fox white.", history=(("Paint a fox sleeping under a maple tree.", "image"),)), "image"),
    (conv("请画一只在樱花树下睡觉的狐狸。", lang="zh"), "image"),
    (conv("木星有多少颗卫星？", lang="zh"), "text"),
    (conv("照片里的狗在做什么？", lang="zh", attach=True), "text"),
    (conv("把狐狸改成白色的。", lang="zh", history=(("画一只在樱花树下睡觉的狐狸。", "image"),)), "image"),
]


def test_head_file_is_plain_arrays():
    src = resources.files("dialoggen.agent.offline") / HEAD_FILE
    with src.open("rb") as fh:
        names = zipfile.ZipFile(fh).namelist()
    assert names and all(n.endswith(".npy") for n in names)
    with src.open("rb") as fh, np.load(fh, allow_pickle=False) as z:  # raises on any pickled array
        assert all(z[k].dtype != object for k in z.files)
        assert z["w1"].shape[0] == FEATURE_DIM


def test_router_implements_intent_role(router):
    assert isinstance(router, IntentModel)
    assert router.name == "offline"


@pytest.mark.parametrize("i", range(len(CLEAR)))
def test_clear_cases(router, i):
    c, want = CLEAR[i]
    d = router.decide(c)
    assert isinstance(d, TurnDecision)
    assert d.source == "router"
    assert d.modality == want, (c.user, d)
    assert 0.0 <= d.confidence <= 1.0
    assert d.confidence > 0.75


TEXT_EXCHANGE = (("Why do leaves change colour in autumn?", "text"),)
PICTURE_THREAD = (("Paint a fox sleeping under a maple tree.", "image"),)

FOLLOW_UPS = [
    # a follow-up in a text exchange stays text...
    (conv("What if the summer was very dry?", history=TEXT_EXCHANGE), "text"),
    (conv("And why are some of them red?", history=TEXT_EXCHANGE), "text"),
    (conv("那如果夏天特别干旱呢？", lang="zh", history=(("为什么秋天树叶会变色？", "text"),)), "text"),
    # ...unless it asks for a picture
    (conv("Can you draw a maple tree in autumn for me?", history=TEXT_EXCHANGE), "image"),
    (conv("请画一棵秋天的枫树。", lang="zh", history=(("为什么秋天树叶会变色？", "text"),)), "image"),
    # a request about the attached image follows the attachment
    (conv("What might be a concern for the dog in this photo?", attach=True), "text"),
    (conv("Why is the dog lying there?", attach=True, history=PICTURE_THREAD), "text"),
    (conv("Turn this photo into a watercolour poster.", attach=True), "image"),
    (conv("把这张照片改成水彩画风格。", lang="zh", attach=True), "image"),
]


@pytest.mark.parametrize("i", range(len(FOLLOW_UPS)))
def test_conversation_rules(router, i):
    c, want = FOLLOW_UPS[i]
    d = router.decide(c)
    assert d.modality == want, (c.user, [t["user"] for t in c.turns], d)


def test_previous_turn_changes_the_decision(router):
    """The same short follow-up leans to a picture after a picture and to text after text."""
    after_text = router.predict_proba(conv("Make it more colourful.", history=TEXT_EXCHANGE))
    after_image = router.predict_proba(conv("Make it more colourful.", history=PICTURE_THREAD))
    assert after_image > after_text
    assert after_image > 0.5


def test_packaged_head_is_calibrated_on_real_heldout_data(router):
    meta = router.head.meta
    cal = meta["stats"]["calibration"]
    assert meta["calibration"]["set"] == "calibration" and meta["settings"]["calibrate"].endswith("router_heldout_dev.jsonl")
    assert "sealed" not in json.dumps(meta["settings"])
    assert router.head.temperature == pytest.approx(meta["head"]["temperature"]) and router.head.temperature != 1.0
    assert cal["ece"] <= 0.02 and all(x["ece_other_half"] <= 0.03 for x in cal["cross_fit"])
    assert 0.5 < router.abstain_below < 1.0 and router.abstain_below == meta["abstain"]["below"]
    # provenance: real sources with counts, the generator for coverage, the commit
    origins = meta["data"]["turns_by_origin"]
    assert origins["gsm8k"] > 1000 and origins["coco_cn"] > 1000 and origins["visdial_conv"] > 1000
    assert meta["data"]["sources"][0]["path"] == "evals/data/corpora/router_train.jsonl.gz"
    assert any("generator" in src["what"] for src in meta["data"]["sources"])
    assert meta["commit"]


def test_unsure_decision_is_flagged_in_the_turn_record(tmp_path):
    """Offline, below the abstain threshold the router still answers, and the record says
    which way it leaned and that it was unsure; a confident turn has no such notice."""
    import sqlite3

    from langgraph.checkpoint.sqlite import SqliteSaver

    from dialoggen.agent import roles
    from dialoggen.agent.context import Context
    from dialoggen.graphs import build_graph

    packaged = OfflineRouter.load()
    h = packaged.head
    soft = RouterHead(h.mu, h.sigma, h.w1, h.b1, h.w2, np.array([h.b2]), temperature=1e4, meta=h.meta)  # every turn ~0.5
    roles.register("intent", "unsure-router", OfflineRouter(soft, cache=packaged.cache))
    roles.register("intent", "sure-router", packaged)
    graph = build_graph(SqliteSaver(sqlite3.connect(":memory:", check_same_thread=False)))
    try:
        for spec, thread in (("unsure-router", "a"), ("sure-router", "b")):
            ctx = Context(intent=spec, rewrite="offline", chat="none", critic=None, t2i="none", data_dir=str(tmp_path / "data"))
            out = graph.invoke({"messages": [("user", "Draw a red fox in the snow.")]}, {"configurable": {"thread_id": thread}}, context=ctx, durability="exit")
            rec = out["last_turn"]
            if spec == "unsure-router":
                assert rec["confidence"] < packaged.abstain_below
                assert rec["decided_by"] == "router (unsure)"
                lean = "a picture" if rec["modality"] == "image" else "a text reply"
                assert "unsure" in rec["notice"] and f"leaned to {lean}" in rec["notice"]
            else:
                assert rec["modality"] == "image" and rec["confidence"] >= packaged.abstain_below
                assert rec["decided_by"] == "router" and "unsure" not in (rec["notice"] or "")
    finally:
        roles.clear_cache()


def test_confidence_is_lower_for_unclear_turns(router):
    clear = router.decide(conv("Draw a red bicycle leaning against a yellow wall, please.")).confidence
    vague = router.decide(conv("hmm, ok")).confidence
    assert 0.5 <= vague < clear <= 1.0
    p = router.predict_proba(conv("Draw a red bicycle leaning against a yellow wall, please."))
    assert p == pytest.approx(clear)


def test_full_turn_flag_is_accepted(router):
    d = router.decide(conv("What is the boiling point of water?"), full_turn=True)
    assert d.modality == "text" and d.reply is None and d.prompt is None


def test_prefetch_caches_and_stays_bounded():
    r = OfflineRouter(OfflineRouter.load().head, cache_size=3)
    assert r.prefetch(["one cat", "two cats", "one cat"]) == 2
    assert r.cached("one cat") and r.cached("two cats")
    assert r.prefetch(["one cat"]) == 0
    r.prefetch(["a", "b", "c", "d", "e"])
    assert len(r.cache._cache) == 3
    assert r.cached("e") and not r.cached("one cat")
    # a cached embedding gives the same decision as a fresh one
    c = conv("Paint a lighthouse at night.")
    before = r.predict_proba(c)
    assert r.cached("Paint a lighthouse at night.")
    assert r.predict_proba(c) == pytest.approx(before)


def test_conversation_features(router):
    c = conv("and now?", attach=True, history=(("Draw a cat.", "image"), ("Why is it orange?", "text")))
    ctx = TurnContext.of(c)
    assert ctx.previous_modality == "text" and ctx.has_prompt and ctx.attachment
    assert ctx.previous_user == "Why is it orange?"
    assert router.features(ctx).shape == (FEATURE_DIM,)


def test_opening_and_clipping():
    assert opening("Write a haiku about a red fox in the snow.") == "Write a haiku about"
    assert opening("请回答以下问题：\n狐狸能不能爬树？") == "请回答以下问"
    assert opening("Yes, add a moon.") == "Yes"
    long = "word " * 400
    assert len(clip_text(long)) <= 520 and clip_text("  a\n b ") == "a b"


def test_load_missing_path_raises_config_error(tmp_path):
    with pytest.raises(ConfigError):
        OfflineRouter.load(tmp_path / "nope.npz")


def test_train_tiny_generated_set_writes_loadable_head(tmp_path):
    from dialoggen.evals.generate import generate_conversations
    from dialoggen.evals.dataset import Conversation as BenchConversation
    from dialoggen.evals.train.router import evaluate, train_head

    convs = [BenchConversation.model_validate(c) for c in generate_conversations(24, seed=3, split="train")]
    result = train_head(convs, seed=0, hidden=8, max_iter=60)
    out = result.head.save(tmp_path / "head.npz", result.provenance)
    assert out.with_suffix(".json").is_file()
    loaded = OfflineRouter.load(out)
    assert isinstance(loaded.head, RouterHead)
    assert loaded.head.temperature == pytest.approx(result.head.temperature, rel=1e-6)
    assert loaded.decide(conv("Draw a house.")).modality in ("text", "image")
    report = evaluate(loaded, convs[:6])
    assert report["n"] == sum(len(c.turns) for c in convs[:6])
    assert 0.0 <= report["avg"] <= 100.0 and set(report) >= {"cells", "avg", "min_cell", "overall", "ece"}


def test_train_router_command(tmp_path):
    from typer.testing import CliRunner

    from dialoggen.evals.cli import bench_app
    from dialoggen.evals.dataset import write_jsonl
    from dialoggen.evals.generate import generate_conversations

    data = tmp_path / "train.jsonl"
    write_jsonl(data, generate_conversations(16, seed=5, split="train"))
    out = tmp_path / "h.npz"
    res = CliRunner().invoke(bench_app, ["train-router", "--data", str(data), "--out", str(out), "--no-extra", "--hidden", "8", "--models", "1", "--eval", str(data)])
    assert res.exit_code == 0, res.output
    assert out.is_file() and "wrote" in res.output and "Avg" in res.output
    meta = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["eval_free_running"]["train.jsonl"]["turns"] == 48 and meta["seed"] == 0
    assert OfflineRouter.load(out).head.w1.shape == (FEATURE_DIM, 8)


def test_training_is_deterministic_and_records_provenance(tmp_path):
    from dialoggen.evals.dataset import Conversation as BenchConversation
    from dialoggen.evals.generate import generate_conversations
    from dialoggen.evals.train.router import train_head

    convs = [BenchConversation.model_validate(c) for c in generate_conversations(20, seed=4, split="train")]
    a = train_head(convs[:16], seed=1, hidden=4, max_iter=20, calibration=convs[16:], abstain=0.7)
    b = train_head(convs[:16], seed=1, hidden=4, max_iter=20, calibration=convs[16:], abstain=0.7)
    assert np.array_equal(a.head.w1, b.head.w1) and a.head.temperature == b.head.temperature
    meta = a.provenance
    assert meta["calibration"] == {"conversations": 4, "set": "calibration"}
    assert meta["abstain"]["below"] == 0.7 and len(meta["stats"]["calibration"]["cross_fit"]) == 2
    assert sum(meta["data"]["turns_by_cell"].values()) == 48 and meta["data"]["turns_by_origin"] == {"unrecorded": 48}
    c = train_head(convs[:16], seed=2, hidden=4, max_iter=20, calibration=convs[16:])
    assert not np.array_equal(a.head.w1, c.head.w1)


def test_router_report_splits_languages(tmp_path):
    from dialoggen.evals.train.router import prediction_report

    rows = [
        {"round": 1, "scenario": "T->T", "expected": "text", "predicted": "text", "correct": True, "confidence": 0.9, "lang": "en", "decided_by": "router"},
        {"round": 1, "scenario": "T->I", "expected": "image", "predicted": "text", "correct": False, "confidence": 0.6, "lang": "en", "decided_by": "router (unsure)"},
        {"round": 1, "scenario": "T->T", "expected": "text", "predicted": "text", "correct": True, "confidence": 0.95, "lang": "zh", "decided_by": "router"},
    ]
    (tmp_path / "predictions.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    rep = prediction_report(tmp_path)
    assert rep["en"]["avg"] == 50.0 and rep["zh"]["avg"] == 100.0 and rep["all"]["avg"] == 50.0
    assert rep["all"]["unsure"] == 1 and rep["en"]["min_cell"] == ("r1 T->I", 0.0)
    assert rep["all"]["ece"] > 0.0


KNOWN_MISSES = [
    # error classes of issue 11 the current head still gets wrong (probe phrasings written
    # here, not real data): no training source has Chinese diagram requests, and long
    # requests about a photo that end by asking for a poster are rare in the corpora
    (conv("请画一张流程图，解释光合作用的过程。", lang="zh"), "image"),
    (conv("I run a small bakery on this street and want to attract customers in spring. Here is a photo of the shop front. Please design a poster for it.", attach=True), "image"),
]


@pytest.mark.xfail(strict=True, reason="known miss of the current head (docs/RESULTS.md, issue 11 section)")
@pytest.mark.parametrize("i", range(len(KNOWN_MISSES)))
def test_known_misses(router, i):
    c, want = KNOWN_MISSES[i]
    assert router.decide(c).modality == want
