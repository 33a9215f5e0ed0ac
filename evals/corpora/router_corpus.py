#!/usr/bin/env python
"""Build the offline modality router's real-text corpora from public GitHub repositories.

Every user turn written here comes from a public repository (fetched as a bare git mirror under
``--mirrors``/owner+name/repo); this script only selects, cleans, deduplicates, labels the
scenario and composes 3-turn conversations in the benchmark format
(``shared/benchmark/FORMAT.md``). Nothing is phrased by us. Outputs:

- ``router_train.jsonl.gz``: training conversations (sources with role ``train``);
- ``router_heldout_dev.jsonl`` (2/3) and ``router_heldout_sealed.jsonl`` (1/3): conversations
  from *other repositories* (role ``heldout``), never used for training or tuning;
- ``router_sources.json``: the manifest (repo, commit, paths, licence, role, counts).

Standalone (stdlib only), deterministic (seeded):

    python evals/corpora/router_corpus.py --mirrors /work/.mirror --out evals/data/corpora
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import random
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20261130
ROUNDS = 3
SCENARIOS = ("T->T", "T->I", "I+T->T", "I+T->I")
MAX_LEN = {"en": 700, "zh": 400}
MAX_LEN_LONG = 1500  # puzzles / maths word problems carry their context
# cap on the turns one (lang, scenario, role) pool may contribute, so no single big source swamps
POOL_CAP = 9000
CAP_RATIO = 4
HELDOUT_CAP_RATIO = 2
MIN_BASE_POOL = 200
DIALOGUE_WINDOWS_CAP = 10 ** 9

# ---------------------------------------------------------------------------------------------
# Sources. role: train | heldout. A repository appears under exactly one role.
# dev_set_source: the public dev set (external-dev.jsonl) was built from other items of it.
# ---------------------------------------------------------------------------------------------
SOURCES = [
    # ---------------- train ----------------
    dict(key="selfinstruct", repo="yizhongw/self-instruct",
         paths=["data/seed_tasks.jsonl", "human_eval/user_oriented_instructions.jsonl"],
         licence="Apache-2.0", lang=["en"], scenarios=["T->T"], role="train", dev_set_source=True,
         authorship="human-written seed and user-oriented instructions"),
    dict(key="gsm8k", repo="openai/grade-school-math",
         paths=["grade_school_math/data/train.jsonl", "grade_school_math/data/test.jsonl"],
         licence="MIT", lang=["en"], scenarios=["T->T"], role="train", dev_set_source=False,
         authorship="human-written maths word problems"),
    dict(key="crosswoz", repo="thu-coai/CrossWOZ",
         paths=["data/crosswoz/val.json.zip", "data/crosswoz/test.json.zip"],
         licence="Apache-2.0", lang=["zh"], scenarios=["T->T"], role="train", dev_set_source=False,
         authorship="crowd-written multi-turn task dialogues (user side); real follow-ups"),
    dict(key="partiprompts", repo="google-research/parti", paths=["PartiPrompts.tsv"],
         licence="Apache-2.0", lang=["en"], scenarios=["T->I"], role="train", dev_set_source=True,
         authorship="human-written drawing prompts"),
    dict(key="dialprompt", repo="superboom/DialPrompt",
         paths=["dialogue/data/multi-turn-train.json", "dialogue/data/multi-turn-test.json"],
         licence="NONE FOUND (no licence file in the repository; research release; used for "
                 "training only, stated plainly)",
         lang=["en"], scenarios=["T->I", "I+T->I"], role="train", dev_set_source=True,
         authorship="follow-up turns of drawing dialogues (user answers to a prompt assistant); "
                    "first turns ('write me an SD prompt') are not used"),
    dict(key="plexpt_zh", repo="PlexPt/awesome-chatgpt-prompts-zh", paths=["prompts-zh.json"],
         licence="MIT", lang=["zh"], scenarios=["T->T"], role="train", dev_set_source=False,
         authorship="community-written Chinese chat prompts (role instructions)"),
    dict(key="visdial_conv", repo="shubhamagarwal92/visdial_conv",
         paths=["released_datasets/vispro/val.vispro.1.1.jsonlines",
                "released_datasets/vispro/test.vispro.1.1.jsonlines",
                "released_datasets/visdialconv/visdial_1.0_val_crowdsourced.json"],
         licence="BSD-3-Clause (repository); VisDial data CC BY 4.0", lang=["en"],
         scenarios=["I+T->T", "T->T", "caption"], role="train", dev_set_source=False,
         authorship="human-written VisDial image questions with the image's caption; "
                    "real follow-up questions"),
    dict(key="xgqa_zh", repo="adapter-hub/xGQA",
         paths=["data/few_shot/zh/dev.json", "data/few_shot/zh/train_48.json"],
         licence="CC BY 4.0", lang=["zh"], scenarios=["I+T->T"], role="train",
         dev_set_source=False,
         authorship="GQA image questions translated into Chinese by people; caption NOT of the "
                    "same image (COCO-CN caption stands in)"),
    dict(key="coco_cn", repo="li-xirong/coco-cn", paths=["data/coco-cn_ext.icap2020.txt"],
         licence="MIT", lang=["zh"], scenarios=["T->I", "caption"], role="train",
         dev_set_source=False,
         authorship="human-written Chinese image captions (bare scene descriptions; also stand-in "
                    "captions for zh attached images)"),
    dict(key="krea_open_prompts", repo="krea-ai/open-prompts", paths=["data/1k.csv"],
         licence="NONE FOUND (README's MIT licence section is commented out and no LICENSE file; "
                 "used for training, stated plainly)",
         lang=["en"], scenarios=["T->I"], role="train", dev_set_source=False,
         authorship="Stable Diffusion prompts written by Discord users"),
    # ---------------- held-out (other repositories) ----------------
    dict(key="unigenbench", repo="CodeGoat24/UniGenBench",
         paths=["data/test_prompts_zh.csv", "data/test_prompts_en.csv"],
         licence="CC BY 4.0", lang=["en", "zh"], scenarios=["T->I"], role="heldout",
         dev_set_source=True,
         authorship="curated drawing prompts (benchmark; partly LLM-assisted per the authors); "
                    "the dev set used other items of these test files: those are dropped here (dev-set texts never enter the held-out split), but the phrasing style was seen in the dev set"),
    dict(key="hallusionbench", repo="tianyi-lab/HallusionBench", paths=["HallusionBench.json"],
         licence="BSD-3-Clause", lang=["en"], scenarios=["T->T", "I+T->T"], role="heldout",
         dev_set_source=False,
         authorship="human-written questions; visual_input=0 are text-only; image questions get "
                    "a held-out caption NOT of the same image"),
    dict(key="logiqa", repo="lgw863/LogiQA-dataset",
         paths=["Eval.txt", "Test.txt", "zh_eval.txt", "zh_test.txt"],
         licence="NONE FOUND (no licence file; used for held-out evaluation only, stated plainly)",
         lang=["en", "zh"], scenarios=["T->T"], role="heldout", dev_set_source=False,
         authorship="civil-service exam logic puzzles (zh original, en translation)"),
    dict(key="t2i_compbench", repo="Karine-Huang/T2I-CompBench",
         paths=["examples/dataset/*.txt"], licence="MIT", lang=["en"],
         scenarios=["T->I", "caption"], role="heldout", dev_set_source=False,
         authorship="compositional drawing prompts (partly LLM-assisted per the paper); also "
                    "stand-in captions for held-out en attached images"),
    dict(key="mmbench_samples", repo="open-compass/MMBench", paths=["samples/README.md"],
         licence="Apache-2.0", lang=["en", "zh"], scenarios=["I+T->T"], role="heldout",
         dev_set_source=False,
         authorship="sample questions of MMBench / MMBench-CN / CCBench shown in the README "
                    "(few); caption from the held-out pool, NOT of the same image"),
    dict(key="ggip2p", repo="z-esmaily/guided_grounded_instructpix2pix",
         paths=["image_instruction_pairs_info/All_img_instruct_info.csv"], licence="Apache-2.0",
         lang=["en"], scenarios=["I+T->I"], role="heldout", dev_set_source=False,
         authorship="human-written edit instructions for real photos; caption from held-out pool"),
]


# Candidates looked at and left out (recorded so nobody re-adds them unknowingly):
# - LianjiaTech/BELLE zh_seed_tasks: its data README restricts use to research, not commercial.
# - nano-banana / GPT-4o prompt collections (e.g. YouMind-OpenLab/awesome-nano-banana-pro-prompts):
#   community copies of the same X posts as reserved repositories may hold; not used.
# - databrickslabs/dolly, tylin/coco-caption: the data files are absent from the mirrors.


class CorpusError(SystemExit):
    """A one-sentence error for the user (exit status 2)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.code = 2
        self.message = message


# ---------------------------------------------------------------------------------------------
# mirror access
# ---------------------------------------------------------------------------------------------
class Mirror:
    def __init__(self, root: Path, repo: str):
        self.repo = repo
        self.git_dir = root / repo.replace("/", "+") / "repo"
        if not (self.git_dir / "HEAD").exists():
            raise CorpusError(f"The mirror of {repo} is missing under {root}: fetch github:{repo} "
                              f"(it must exist as {self.git_dir}) and run again.")
        self.commit = self._git("rev-parse", "HEAD").decode().strip()

    def _git(self, *args: str) -> bytes:
        out = subprocess.run(["git", "--git-dir", str(self.git_dir), *args],
                             capture_output=True, check=False)
        if out.returncode != 0:
            raise CorpusError(f"Reading {self.repo} failed ({' '.join(args)}): "
                              f"{out.stderr.decode(errors='replace').strip()}")
        return out.stdout

    def read(self, path: str) -> bytes:
        return self._git("show", f"{self.commit}:{path}")

    def text(self, path: str) -> str:
        return self.read(path).decode("utf-8-sig")

    def glob(self, pattern: str) -> list[str]:
        names = self._git("ls-tree", "-r", "--name-only", self.commit).decode().splitlines()
        rx = re.compile("^" + re.escape(pattern).replace(r"\*", "[^/]*") + "$")
        return sorted(n for n in names if rx.match(n))


# ---------------------------------------------------------------------------------------------
# cleaning and dedup
# ---------------------------------------------------------------------------------------------
_WS = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def clean(text: str) -> str:
    # the user's words are kept as written (full-width Chinese punctuation included); only
    # zero-width characters and runs of whitespace are tidied
    text = text.replace("\u200b", "").replace("\ufeff", "")
    lines = [_WS.sub(" ", ln).strip() for ln in text.strip().splitlines()]
    return "\n".join(ln for ln in lines if ln)


def norm_key(text: str) -> str:
    """Near-duplicate key: case, whitespace, punctuation and digits folded."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"\d+", "0", t)
    return "".join(ch for ch in t if ch.isalnum())


def lang_of(text: str) -> str:
    cjk = len(_CJK.findall(text))
    return "zh" if cjk >= max(2, 0.2 * len(text.replace(" ", ""))) else "en"


def ok_len(text: str, lang: str, long: bool = False) -> bool:
    n = len(text)
    lo = 4 if lang == "zh" else 8
    return lo <= n <= (MAX_LEN_LONG if long else MAX_LEN[lang])


class Item(dict):
    """One real user turn: text, lang, scenario, origin, item id (+ caption for image turns)."""


def item(text, lang, scenario, origin, item_id, **extra) -> Item:
    it = Item(text=text, lang=lang, scenario=scenario, origin=origin, item=f"{origin}:{item_id}")
    it.update(extra)
    return it


# ---------------------------------------------------------------------------------------------
# extractors: each returns (single items, dialogues (lists of items), captions)
# ---------------------------------------------------------------------------------------------
def ex_selfinstruct(m: Mirror):
    out = []
    for path in SOURCES_BY_KEY["selfinstruct"]["paths"]:
        for ln in m.text(path).splitlines():
            if not ln.strip():
                continue
            d = json.loads(ln)
            inst = clean(d["instruction"])
            inp = ""
            for inst_ in d.get("instances", [])[:1]:
                inp = clean(inst_.get("input", "") or "")
            text = inst if not inp or len(inp) > 400 else f"{inst}\n{inp}"
            out.append(item(text, "en", "T->T", "selfinstruct", d["id"]))
    return out, [], []


def ex_gsm8k(m: Mirror):
    out = []
    for path in SOURCES_BY_KEY["gsm8k"]["paths"]:
        split = path.rsplit("/", 1)[1].split(".")[0]
        for i, ln in enumerate(m.text(path).splitlines()):
            if ln.strip():
                out.append(item(clean(json.loads(ln)["question"]), "en", "T->T", "gsm8k",
                                f"{split}/{i}", long=True))
    return out, [], []


def ex_crosswoz(m: Mirror):
    dialogues = []
    for path in SOURCES_BY_KEY["crosswoz"]["paths"]:
        split = path.rsplit("/", 1)[1].split(".")[0]
        z = zipfile.ZipFile(io.BytesIO(m.read(path)))
        data = json.loads(z.read(z.namelist()[0]))
        for did in sorted(data, key=lambda k: int(k) if k.isdigit() else k):
            turns = [clean(msg["content"]) for msg in data[did]["messages"] if msg["role"] == "usr"]
            dialogues.append([item(t, "zh", "T->T", "crosswoz", f"{split}/{did}/u{j}")
                              for j, t in enumerate(turns)])
    return [], dialogues, []


def ex_partiprompts(m: Mirror):
    out = []
    rows = csv.reader(io.StringIO(m.text("PartiPrompts.tsv")), delimiter="\t")
    next(rows)
    for i, row in enumerate(rows):
        if row and row[0].strip():
            out.append(item(clean(row[0]), "en", "T->I", "partiprompts", f"row{i}",
                            category=row[1] if len(row) > 1 else None))
    return out, [], []


def ex_dialprompt(m: Mirror):
    """Follow-up user turns (not the first 'write me an SD prompt' turn) of drawing dialogues."""
    dialogues = []
    for path in SOURCES_BY_KEY["dialprompt"]["paths"]:
        split = "test" if "test" in path else "train"
        for di, d in enumerate(json.loads(m.text(path))):
            users = [clean(x.get("content") or x.get("response") or x.get("output") or "")
                     for x in d["dialogue"] if x["role"] == "user"]
            dialogues.append([item(u, "en", "T->I", "dialprompt", f"{split}/d{di}/u{j}",
                                   followup=True) for j, u in enumerate(users) if j >= 1])
    return [], dialogues, []


def ex_unigenbench(m: Mirror):
    out = []
    for lang in ("zh", "en"):
        for r in csv.DictReader(io.StringIO(m.text(f"data/test_prompts_{lang}.csv"))):
            col = "prompt_zh" if lang == "zh" else next(k for k in r if k.startswith("prompt"))
            out.append(item(clean(r[col]), lang, "T->I", "unigenbench", f"{lang}/{r['index']}"))
    return out, [], []


def ex_krea_open_prompts(m: Mirror):
    out = []
    for i, r in enumerate(csv.DictReader(io.StringIO(m.text("data/1k.csv")))):
        out.append(item(clean(r["prompt"]), "en", "T->I", "krea_open_prompts", f"row{i}"))
    return out, [], []


def ex_plexpt_zh(m: Mirror):
    out = []
    for i, d in enumerate(json.loads(m.text("prompts-zh.json"))):
        out.append(item(clean(d["prompt"]), "zh", "T->T", "plexpt_zh", f"p{i}", long=True))
    return out, [], []


def ex_coco_cn(m: Mirror):
    out, caps = [], []
    for ln in m.text(SOURCES_BY_KEY["coco_cn"]["paths"][0]).splitlines():
        if "\t" not in ln:
            continue
        sid, sent = ln.split("\t", 1)
        sent = clean(sent)
        out.append(item(sent, "zh", "T->I", "coco_cn", sid))
        caps.append(dict(caption=sent, lang="zh", origin="coco_cn", item=f"coco_cn:{sid}"))
    return out, [], caps


def _vispro_tokens(s):
    import ast
    return ast.literal_eval(s) if isinstance(s, str) else s


def ex_visdial_conv(m: Mirror):
    dialogues, caps, singles = [], [], []
    paths = SOURCES_BY_KEY["visdial_conv"]["paths"]
    for path in paths[:2]:
        split = "val" if "/val." in path else "test"
        for ln in m.text(path).splitlines():
            if not ln.strip():
                continue
            d = json.loads(ln)
            sents = _vispro_tokens(d["sentences"])
            speakers = _vispro_tokens(d["speakers"])
            detok = [clean(re.sub(r" ([?.,!'])", r"\1", " ".join(s))) for s in sents]
            caption = detok[0]
            qs = [detok[i] for i in range(1, len(detok)) if speakers[i] and speakers[i][0] == "question"]
            key = f"vispro/{split}/{d['doc_key']}"
            caps.append(dict(caption=caption, lang="en", origin="visdial_conv", item=f"visdial_conv:{key}"))
            dialogues.append([item(q[:1].upper() + q[1:], "en", "I+T->T", "visdial_conv", f"{key}/q{j}",
                                   caption=caption, caption_item=f"visdial_conv:{key}")
                              for j, q in enumerate(qs)])
    vd = json.loads(m.text(paths[2]))["data"]
    qlist = vd["questions"]
    for d in vd["dialogs"]:
        key = f"visdialconv/{d['image_id']}"
        cap = clean(d["caption"])
        caps.append(dict(caption=cap[:1].upper() + cap[1:], lang="en", origin="visdial_conv",
                         item=f"visdial_conv:{key}"))
        dialogues.append([item(clean(qlist[r["question"]]).capitalize() + "?", "en", "I+T->T",
                               "visdial_conv", f"{key}/q{j}", caption=cap[:1].upper() + cap[1:],
                               caption_item=f"visdial_conv:{key}")
                          for j, r in enumerate(d["dialog"])])
    # the file also lists every VisDial v1.0 val question (45k, human-written); they become
    # single I+T->T turns with a caption of another image
    for qi, q in enumerate(qlist):
        q = clean(q)
        if len(q) >= 8:
            singles.append(item(q[:1].upper() + q[1:] + "?", "en", "I+T->T", "visdial_conv",
                                f"visdial_val_q/{qi}"))
    return singles, dialogues, caps


def ex_xgqa_zh(m: Mirror):
    out = []
    for path in SOURCES_BY_KEY["xgqa_zh"]["paths"]:
        split = path.rsplit("/", 1)[1].split(".")[0]
        for qid, d in sorted(json.loads(m.text(path)).items()):
            out.append(item(clean(d["question"]), "zh", "I+T->T", "xgqa_zh", f"{split}/{qid}"))
    return out, [], []


def ex_hallusionbench(m: Mirror):
    out = []
    for d in json.loads(m.text("HallusionBench.json")):
        scen = "T->T" if str(d["visual_input"]) == "0" else "I+T->T"
        iid = f"{d['category']}/{d['subcategory']}/{d['set_id']}/{d['figure_id']}/{d['question_id']}"
        out.append(item(clean(d["question"]), "en", scen, "hallusionbench", iid))
    return out, [], []


def ex_logiqa(m: Mirror):
    out = []
    for path in SOURCES_BY_KEY["logiqa"]["paths"]:
        lang = "zh" if path.startswith("zh_") else "en"
        lines = m.text(path).split("\n")
        # 8 lines per example: blank, answer, context, question, four options
        for k in range(0, len(lines) - 7, 8):
            block = lines[k:k + 8]
            ctx, q, opts = block[2].strip(), block[3].strip(), [o.strip() for o in block[4:8]]
            if not ctx or not q:
                continue
            ctx = re.sub(r"^\d+\s*[.．、]\s*", "", ctx)  # exam item numbers
            text = clean("\n".join([ctx, q, *opts]))
            out.append(item(text, lang, "T->T", "logiqa", f"{path.split('.')[0]}/{k // 8}", long=True))
    return out, [], []


def ex_t2i_compbench(m: Mirror):
    out, caps, seen = [], [], set()
    for path in m.glob("examples/dataset/*.txt"):
        for i, ln in enumerate(m.text(path).splitlines()):
            t = clean(ln)
            if t and t not in seen:
                seen.add(t)
                iid = f"{path.rsplit('/', 1)[1][:-4]}/{i}"
                out.append(item(t, "en", "T->I", "t2i_compbench", iid))
                caps.append(dict(caption=t, lang="en", origin="t2i_compbench", item=f"t2i_compbench:{iid}"))
    return out, [], caps


def ex_ggip2p(m: Mirror):
    out = []
    rows = csv.DictReader(io.StringIO(m.text(SOURCES_BY_KEY["ggip2p"]["paths"][0])))
    for i, r in enumerate(rows):
        t = clean(r["instruct"])
        if t:
            out.append(item(t[:1].upper() + t[1:], "en", "I+T->I", "ggip2p", f"row{i}"))
    return out, [], []


def ex_mmbench_samples(m: Mirror):
    out = []
    text = m.text("samples/README.md")
    for i, (q, opts) in enumerate(re.findall(r"QUESTION\. (.*?)<br><br>Options:<br>(.*?)<br><br>ANSWER",
                                              text, re.S)):
        q = re.sub(r"<br>HINT\..*", "", q, flags=re.S)
        user = clean(q.replace("<br>", "\n") + "\n" + opts.replace("<br>", "\n"))
        out.append(item(user, lang_of(q), "I+T->T", "mmbench_samples", f"q{i}", long=True))
    return out, [], []


SOURCES_BY_KEY = {s["key"]: s for s in SOURCES}
EXTRACTORS = {
    "selfinstruct": ex_selfinstruct, "gsm8k": ex_gsm8k, "crosswoz": ex_crosswoz,
    "partiprompts": ex_partiprompts, "dialprompt": ex_dialprompt,
    "coco_cn": ex_coco_cn, "visdial_conv": ex_visdial_conv, "xgqa_zh": ex_xgqa_zh,
    "hallusionbench": ex_hallusionbench, "logiqa": ex_logiqa, "t2i_compbench": ex_t2i_compbench,
    "ggip2p": ex_ggip2p, "unigenbench": ex_unigenbench, "plexpt_zh": ex_plexpt_zh,
    "krea_open_prompts": ex_krea_open_prompts, "mmbench_samples": ex_mmbench_samples,
}


def reserved_repos(path: Path) -> set[str]:
    """Repositories listed in RESERVED.md (owner/name, lower-case)."""
    if not path.exists():
        return set()
    names = set()
    for ln in path.read_text(encoding="utf-8").splitlines():
        if ln.startswith("|"):
            for part in ln.split("|")[1].split(","):
                part = part.strip()
                if re.fullmatch(r"[\w.-]+/[\w.-]+", part):
                    names.add(part.lower())
    return names


# ---------------------------------------------------------------------------------------------
# pools, dedup, composition
# ---------------------------------------------------------------------------------------------
def valid(it: Item) -> bool:
    if lang_of(it["text"]) != it["lang"]:
        return False
    return ok_len(it["text"], it["lang"], long=bool(it.get("long")))


def dedup(items, seen: set) -> list:
    out = []
    for it in items:
        k = norm_key(it["text"])
        if len(k) < 3 or k in seen:
            continue
        seen.add(k)
        out.append(it)
    return out


def image_turn(it: Item, caption: dict) -> dict:
    return dict(caption=caption["caption"], path=None), caption


def make_turn(it: Item, scenario: str, caption: dict | None) -> dict:
    expected = "image" if scenario.endswith("I") else "text"
    t = dict(user=it["text"], image=None, scenario=scenario, expected=expected,
             origin=it["origin"], item=it["item"])
    if scenario.startswith("I+T"):
        t["image"] = dict(caption=caption["caption"], path=None)
        t["image_origin"] = caption["origin"]
        t["image_item"] = caption["item"]
        t["caption_matches_image"] = bool(it.get("caption_item") == caption["item"])
    if it.get("followup"):
        t["subtype"] = "followup"
    return t


class Pool:
    """Items of one (lang, scenario) for one role, drawn without replacement."""

    def __init__(self, items, rng):
        self.items = list(items)
        rng.shuffle(self.items)

    def __len__(self):
        return len(self.items)

    def pop(self):
        return self.items.pop()


def compose(role: str, lang: str, singles: dict, dialogues: list, captions: list, rng: random.Random,
            prefix: str, max_convs: int | None = None, cap_ratio: int = 4) -> list[dict]:
    """3-turn conversations: real dialogues first (consecutive user turns of one source dialogue),
    then conversations composed of real turns from several sources, scenario per round drawn so
    the cells stay balanced-ish."""
    convs = []
    cap_by_item = {c["item"]: c for c in captions}
    cap_pool = [c for c in captions if c["lang"] == lang] or captions

    def pick_caption(it):
        if it.get("caption_item") and it["caption_item"] in cap_by_item:
            return cap_by_item[it["caption_item"]]
        if it.get("caption"):
            return dict(caption=it["caption"], origin=it["origin"], item=it["caption_item"])
        return rng.choice(cap_pool)

    # 1) real multi-turn dialogues (3 consecutive user turns)
    dl = [d for d in dialogues if d and d[0]["lang"] == lang]
    rng.shuffle(dl)
    followups = []  # dialprompt-like follow-ups feed composed conversations instead
    for d in dl:
        if d[0].get("followup"):
            followups.extend(d)
            continue
        n_before = len(convs)
        for s in range(0, len(d) - 2, 3):
            chunk = d[s:s + 3]
            turns = []
            for j, it in enumerate(chunk):
                scen = it["scenario"]
                if scen.startswith("I+T") and j > 0:
                    scen = "T->" + scen[-1]  # follow-ups about the same image: no re-attachment
                turns.append(make_turn(it, scen, pick_caption(it) if scen.startswith("I+T") else None))
                if j > 0:
                    turns[-1]["followup_of"] = chunk[0]["item"]
            convs.append(dict(kind="dialogue", turns=turns))
            if len(convs) >= DIALOGUE_WINDOWS_CAP:
                break
        # turns left over after the windows still serve as single turns (with their own caption)
        used_items = {t["item"] for c in convs[n_before:] for t in c["turns"]}
        for it in d:
            if it["item"] not in used_items:
                singles.setdefault((lang, it["scenario"]), []).append(it)
    # 2) composed conversations from single turns
    # balanced-ish: no scenario pool may exceed CAP_RATIO x the smallest non-empty one
    sizes = {scen: len(singles.get((lang, scen), [])) for scen in SCENARIOS}
    sizes["I+T->I"] += len(followups)
    nonzero = [v for v in sizes.values() if v > 0]
    # tiny pools (a few dozen sample questions) are used whole and do not set the cap
    big = [v for v in nonzero if v >= MIN_BASE_POOL] or nonzero
    cap = min(POOL_CAP, cap_ratio * min(big)) if big else 0
    pools = {}
    for scen in SCENARIOS:
        items = sorted(singles.get((lang, scen), []), key=lambda x: x["item"])
        rng.shuffle(items)
        pools[scen] = Pool(items[:cap], rng)
    fu = Pool(followups[:cap], rng)
    target = max_convs if max_convs is not None else 10 ** 9
    # counts per (round, scenario) including the dialogue conversations, for balance
    cell = Counter()
    for c in convs:
        for r, t in enumerate(c["turns"]):
            cell[(r, t["scenario"])] += 1
    while len(convs) < target:
        turns = []
        for r in range(ROUNDS):
            avail = [s for s in SCENARIOS if len(pools[s]) > 0]
            prev_image = bool(turns) and turns[-1]["expected"] == "image"
            if len(fu) > 0 and (prev_image or True):
                # follow-ups of drawing dialogues: T->I after an image turn, or I+T->I with an image
                if "I+T->I" not in avail:
                    avail.append("I+T->I")
                if prev_image and "T->I" not in avail:
                    avail.append("T->I")
            if not avail:
                break
            s = min(avail, key=lambda x: (cell[(r, x)], rng.random()))
            use_fu = False
            if s == "I+T->I" and len(pools[s]) == 0:
                use_fu = True
            elif s == "I+T->I" and len(fu) > 0:
                use_fu = rng.random() < len(fu) / (len(fu) + len(pools[s]))
            elif s == "T->I" and prev_image and len(fu) > 0:
                use_fu = rng.random() < 0.5 or len(pools[s]) == 0
            if s == "T->I" and not prev_image and len(pools[s]) == 0:
                break
            it = fu.pop() if use_fu else pools[s].pop()
            turns.append(make_turn(it, s, pick_caption(it) if s.startswith("I+T") else None))
            cell[(r, s)] += 1
        if len(turns) < ROUNDS:
            break
        convs.append(dict(kind="composed", turns=turns))
    out = []
    for c in convs:
        origins = []
        for t in c["turns"]:
            for o in (t["origin"], t.get("image_origin")):
                if o and o not in origins:
                    origins.append(o)
        out.append(dict(id=None, lang=lang, topic=None, edit_type=None, source=origins,
                        composition=" | ".join(t["scenario"] for t in c["turns"]),
                        kind=c["kind"], split=role, turns=c["turns"]))
    rng.shuffle(out)
    for i, c in enumerate(out):
        c["id"] = f"{prefix}-{lang}-{i + 1:06d}"
    return out


def dev_set_keys(path: Path) -> set[str]:
    """User turns of the public dev set, to keep them out of the held-out split (dedup only)."""
    keys = set()
    if path.exists():
        for ln in path.read_text(encoding="utf-8").splitlines():
            if ln.strip():
                for t in json.loads(ln)["turns"]:
                    keys.add(norm_key(t["user"]))
    return keys


def build(mirrors: Path, out_dir: Path, benchmark_dir: Path) -> dict:
    reserved = reserved_repos(benchmark_dir / "RESERVED.md")
    for s in SOURCES:
        if s["repo"].lower() in reserved:
            raise CorpusError(f"{s['repo']} is listed in RESERVED.md and must not be used: remove it.")
    mir = {s["key"]: Mirror(mirrors, s["repo"]) for s in SOURCES}  # fails early if one is missing
    extracted = {}
    for s in SOURCES:
        singles, dialogues, caps = EXTRACTORS[s["key"]](mir[s["key"]])
        extracted[s["key"]] = (singles, dialogues, caps)

    dev_keys = dev_set_keys(benchmark_dir / "external-dev.jsonl")
    # held-out keys first: a text in both roles is dropped from train
    seen: dict[str, set] = {"heldout": set(dev_keys), "train": set()}
    per_role = {}
    for role in ("heldout", "train"):
        singles, dialogues, captions = defaultdict(list), [], []
        for s in SOURCES:
            if s["role"] != role:
                continue
            sg, dl, cp = extracted[s["key"]]
            for it in dedup([x for x in sg if valid(x)], seen[role]):
                singles[(it["lang"], it["scenario"])].append(it)
            for d in dl:
                d2 = dedup([x for x in d if valid(x)], seen[role])
                if d2:
                    dialogues.append(d2)
            captions.extend(cp)
        per_role[role] = (singles, dialogues, captions)
        if role == "heldout":
            seen["train"] = set(seen["heldout"]) - dev_keys  # train may share dev-set texts

    out_dir.mkdir(parents=True, exist_ok=True)
    train = []
    for lang in ("en", "zh"):
        train += compose("train", lang, *per_role["train"], rng=random.Random(f"{SEED}:train:{lang}"),
                         prefix="rtrain",
                         cap_ratio=CAP_RATIO)
    heldout = []
    for lang in ("en", "zh"):
        # its own generator: the held-out split does not move when training sources change
        heldout += compose("heldout", lang, *per_role["heldout"],
                           rng=random.Random(f"{SEED}:heldout:{lang}"), prefix="rheld",
                           cap_ratio=HELDOUT_CAP_RATIO)
    # held-out: 2/3 dev, 1/3 sealed, stratified by language and composition
    rng2 = random.Random(SEED + 1)
    by = defaultdict(list)
    for c in heldout:
        by[(c["lang"], c["composition"])].append(c)
    hdev, hsealed = [], []
    for k in sorted(by):
        grp = by[k]
        rng2.shuffle(grp)
        for i, c in enumerate(grp):
            (hsealed if i % 3 == 2 else hdev).append(c)

    def dump(path, convs, gz=False):
        data = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in convs).encode("utf-8")
        if gz:
            with open(path, "wb") as fh:
                with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as g:
                    g.write(data)
        else:
            path.write_bytes(data)

    train.sort(key=lambda c: c["id"])
    hdev.sort(key=lambda c: c["id"])
    hsealed.sort(key=lambda c: c["id"])
    dump(out_dir / "router_train.jsonl.gz", train, gz=True)
    dump(out_dir / "router_heldout_dev.jsonl", hdev)
    dump(out_dir / "router_heldout_sealed.jsonl", hsealed)

    # manifest
    used = Counter()
    used_caps = Counter()
    for c in train + hdev + hsealed:
        for t in c["turns"]:
            used[t["origin"]] += 1
            if t.get("image_origin"):
                used_caps[t["image_origin"]] += 1
    manifest = dict(
        seed=SEED, builder="evals/corpora/router_corpus.py",
        reserved_checked=sorted(reserved),
        sources=[dict(key=s["key"], repo=s["repo"], commit=mir[s["key"]].commit,
                      paths=s["paths"], licence=s["licence"], lang=s["lang"],
                      scenarios=s["scenarios"], role=s["role"],
                      dev_set_source=s["dev_set_source"], authorship=s["authorship"],
                      turns_used=used[s["key"]], captions_used=used_caps[s["key"]])
                 for s in SOURCES],
        counts=dict(train=summarize(train), heldout_dev=summarize(hdev),
                    heldout_sealed=summarize(hsealed)),
    )
    (out_dir / "router_sources.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def summarize(convs) -> dict:
    cell = Counter()
    for c in convs:
        for r, t in enumerate(c["turns"]):
            cell[f"{c['lang']}|{t['scenario']}|r{r + 1}"] += 1
    return dict(conversations=len(convs), turns=sum(cell.values()), cells=dict(sorted(cell.items())))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=Path("evals/data/corpora"))
    ap.add_argument("--benchmark", type=Path, default=None,
                    help="folder with RESERVED.md and external-dev.jsonl (default: ../shared/benchmark "
                         "beside the checkout, else /work/shared/benchmark)")
    args = ap.parse_args(argv)
    bench = args.benchmark
    if bench is None:
        here = Path(__file__).resolve().parents[2]
        cands = [here.parent / "shared" / "benchmark", Path("/work/shared/benchmark")]
        bench = next((c for c in cands if (c / "RESERVED.md").exists()), cands[0])
    try:
        if not (bench / "RESERVED.md").exists():
            raise CorpusError(f"RESERVED.md is missing under {bench}: pass --benchmark with the "
                              "folder that holds it.")
        m = build(args.mirrors, args.out, bench)
    except CorpusError as e:
        print(e.message, file=sys.stderr)
        return 2
    print(json.dumps(m["counts"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
