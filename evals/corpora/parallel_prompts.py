"""Build the zh/en parallel set the offline translator is measured on (``evals/data/translate/parallel.jsonl``).

Real text written by people, not by us: image captions in English with a human Chinese
translation. Two public sources, read from bare git snapshots (the search tool's ``fetch``
puts them under ``/work/.mirror/OWNER+NAME/repo``; pass ``--mirror`` to point elsewhere):

| source | repo @ commit | files | licence |
|---|---|---|---|
| XTD10 (Aggarwal & Kale 2020): 1,000 MSCOCO-2014 captions, Chinese by crowd translators | adobe-research/Cross-lingual-Test-Dataset-XTD10 @ d77ff16148468c84287f3efcbf602a015c5e4954 | XTD10/test_1kcaptions_{en,zh}.txt | Adobe Research License: NON-COMMERCIAL research only |
| Flickr8K-CN (Li et al., ICMR 2016): human translation of the 5,000 Flickr8k test captions | li-xirong/flickr8kcn @ a19b9aa4a7ad2a42741460d9f47385637ae270cd | data/flickr8kenc.caption.txt, data/flickr8kzhmtest.captions.txt | no licence file in the repository (Flickr8k captions: research use) |

Plainly: neither source grants commercial use, so the built file is for measurement only, is
NOT committed (``evals/data/translate/.gitignore``) and nothing of it is shipped or trained on;
the curated lexicon is tuned on the dev split only. The English is the original caption and the
Chinese a translation of it, so translating the Chinese back to English is a back-translation task.

Split: ``sealed`` when sha256("translate-split-v1:" + source + ":" + image id) % 3 == 0, else ``dev`` (all
captions of one image land in the same split). Never look at sealed items.

Second set (issue 13, session 3), ``evals/data/translate/parallel_native.jsonl``: Chinese
**written by native speakers looking at the image** (not a translation), paired with the five
original English captions of the same image, written independently by other people:

| source | repo @ commit | files | licence |
|---|---|---|---|
| Flickr8K-CN crowd-sourced Chinese (``zhc``; the README: "Chinese sentences written by native Chinese speakers"; Li et al., ICMR 2016) for the 7,000 Flickr8k train+val images, with the Flickr8k English captions | li-xirong/flickr8kcn @ a19b9aa4a7ad2a42741460d9f47385637ae270cd | data/flickr8kzhc.caption.txt, data/flickr8kenc.caption.txt, data/flickr8k{train,val}.txt | no licence file in the repository (Flickr8k captions: research use) |

None of its images is a test image, so no item shares an image with the first set (whose
Flickr8K-CN part is the test split). Split: ``sealed2`` when sha256("translate-split-v2:" + image id) % 3 == 0,
else ``dev2``; sealed2 is run once, after the last change. Same licence policy: not committed.
Because the English was not translated from the Chinese, each item is scored against its
best-matching English caption of the five (see ``evals/translate_eval.py``).

Third set (issue 13, session 4), ``evals/data/translate/parallel_unigen.jsonl``: **drawing prompts**
written in both Chinese and English, the kind of text the translator exists for:

| source | repo @ commit | files | licence |
|---|---|---|---|
| UniGenBench (Tencent Hunyuan, 2025): 600 text-to-image test prompts, each in Chinese and English, short and long forms | CodeGoat24/UniGenBench @ 49d0bcebb0b9418d975d3957c2fee10f34811d14 | data/test_prompts_{en,zh}.csv, data/test_prompts_{en,zh}_long.csv | CC BY 4.0 (License.txt), so the built file IS committed, with this attribution |

Which side was written first is not stated; each index has one Chinese and one English text written
as a pair. UniGenBench is one of the sources ``../shared/benchmark/external-dev.jsonl`` was built
from (other items, for modality switching) and the router corpus holds its prompts out; it is not in
``RESERVED.md``. Split by index (short and long form of one prompt together): ``usealed`` when
sha256("translate-split-v3:" + index) % 3 == 0, else ``udev``; usealed is run once, after the last
change.

Run: ``python evals/corpora/parallel_prompts.py`` (writes the jsonl files and ``parallel.manifest.json``;
the first file is byte-identical to what earlier sessions built, its hash is in the manifest).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "data" / "translate"
SOURCES = {
    "xtd10": {
        "repo": "adobe-research/Cross-lingual-Test-Dataset-XTD10",
        "commit": "d77ff16148468c84287f3efcbf602a015c5e4954",
        "licence": "Adobe Research License (non-commercial research only)",
    },
    "flickr8k-cn": {
        "repo": "li-xirong/flickr8kcn",
        "commit": "a19b9aa4a7ad2a42741460d9f47385637ae270cd",
        "licence": "none stated in the repository (Flickr8k captions: research use)",
    },
}
NATIVE = {
    "flickr8k-cn-zhc": {
        "repo": "li-xirong/flickr8kcn",
        "commit": "a19b9aa4a7ad2a42741460d9f47385637ae270cd",
        "paths": ["data/flickr8kzhc.caption.txt", "data/flickr8kenc.caption.txt", "data/flickr8ktrain.txt", "data/flickr8kval.txt"],
        "what": "Chinese written by native speakers from the image (not translated); English: the 5 original Flickr8k captions of the image",
        "licence": "none stated in the repository (Flickr8k captions: research use)",
    },
}


UNIGEN = {
    "unigenbench": {
        "repo": "CodeGoat24/UniGenBench",
        "commit": "49d0bcebb0b9418d975d3957c2fee10f34811d14",
        "paths": ["data/test_prompts_en.csv", "data/test_prompts_zh.csv", "data/test_prompts_en_long.csv", "data/test_prompts_zh_long.csv"],
        "what": "text-to-image test prompts written as zh/en pairs (600 short, 600 long)",
        "licence": "CC BY 4.0 (Copyright (C) 2025 Tencent; License.txt in the repository)",
    },
}


def _show(mirror: Path, repo: str, commit: str, path: str) -> str:
    git_dir = mirror / repo.replace("/", "+") / "repo"
    out = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def split_of(image_id: str) -> str:
    return "sealed" if int(hashlib.sha256(f"translate-split-v1:{image_id}".encode()).hexdigest(), 16) % 3 == 0 else "dev"


def split2_of(image_id: str) -> str:
    return "sealed2" if int(hashlib.sha256(f"translate-split-v2:{image_id}".encode()).hexdigest(), 16) % 3 == 0 else "dev2"


def build_native(mirror: Path) -> list[dict]:
    """Native Chinese captions of the Flickr8k train+val images, each with the image's 5 English captions."""
    s = NATIVE["flickr8k-cn-zhc"]
    images = set()
    for path in ("data/flickr8ktrain.txt", "data/flickr8kval.txt"):
        images |= {x.strip() + ".jpg" for x in _show(mirror, s["repo"], s["commit"], path).splitlines() if x.strip()}
    en: dict[str, list[str]] = {}
    for line in _show(mirror, s["repo"], s["commit"], "data/flickr8kenc.caption.txt").splitlines():
        key, _, text = line.partition(" ")
        if text.strip():
            en.setdefault(key.split("#")[0], []).append(text.strip())
    rows = []
    for line in _show(mirror, s["repo"], s["commit"], "data/flickr8kzhc.caption.txt").splitlines():
        key, _, text = line.partition(" ")
        image = key.split("#")[0]
        if image in images and image in en and text.strip():
            rows.append({"id": f"zhc-{key.replace('#zhc#', '#')}", "source": "flickr8k-cn-zhc", "image": image, "zh": text.strip(),
                         "en": en[image][0], "en_refs": en[image], "split": split2_of(image)})
    return rows


def split3_of(index: str) -> str:
    return "usealed" if int(hashlib.sha256(f"translate-split-v3:{index}".encode()).hexdigest(), 16) % 3 == 0 else "udev"


def build_unigen(mirror: Path) -> list[dict]:
    """UniGenBench's test prompts: one row per index and form (short, long), Chinese with its English."""
    import csv
    import io

    s = UNIGEN["unigenbench"]
    rows = []
    for form, suffix in (("short", ""), ("long", "_long")):
        texts: dict[str, dict[str, str]] = {}
        for lang in ("en", "zh"):
            text = _show(mirror, s["repo"], s["commit"], f"data/test_prompts_{lang}{suffix}.csv")
            for r in csv.DictReader(io.StringIO(text)):
                texts.setdefault(r["index"], {})[lang] = r[f"prompt_{lang}"].strip()
        for index, pair in sorted(texts.items(), key=lambda kv: int(kv[0])):
            if pair.get("en") and pair.get("zh"):
                rows.append({"id": f"unigen-{form}-{index}", "source": f"unigen-{form}", "image": index, "zh": pair["zh"],
                             "en": pair["en"], "split": split3_of(index)})
    return rows


def build(mirror: Path) -> list[dict]:
    rows: list[dict] = []
    s = SOURCES["xtd10"]
    en = _show(mirror, s["repo"], s["commit"], "XTD10/test_1kcaptions_en.txt").splitlines()
    zh = _show(mirror, s["repo"], s["commit"], "XTD10/test_1kcaptions_zh.txt").splitlines()
    names = _show(mirror, s["repo"], s["commit"], "XTD10/test_image_names.txt").splitlines()
    if not (len(en) == len(zh) == len(names)):
        raise SystemExit(f"XTD10 files differ in length: {len(en)} {len(zh)} {len(names)}")
    for i, (e, z, n) in enumerate(zip(en, zh, names)):
        if e.strip() and z.strip():
            rows.append({"id": f"xtd10-{i}", "source": "xtd10", "image": n.strip(), "zh": z.strip(), "en": e.strip()})
    s = SOURCES["flickr8k-cn"]
    en_map = {}
    for line in _show(mirror, s["repo"], s["commit"], "data/flickr8kenc.caption.txt").splitlines():
        key, _, text = line.partition(" ")
        en_map[key.replace("#enc#", "#")] = text.strip()
    for line in _show(mirror, s["repo"], s["commit"], "data/flickr8kzhmtest.captions.txt").splitlines():
        key, _, text = line.partition(" ")
        k = key.replace("#zhm#", "#")
        if k in en_map and text.strip():
            rows.append({"id": f"flickr8k-{k}", "source": "flickr8k-cn", "image": k.split("#")[0], "zh": text.strip(), "en": en_map[k]})
    for r in rows:
        r["split"] = split_of(r["source"] + ":" + r["image"])
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=HERE / "parallel.jsonl")
    args = ap.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    native_out = args.out.with_name("parallel_native.jsonl")
    unigen_out = args.out.with_name("parallel_unigen.jsonl")
    manifest: dict = {}
    for rows, out in ((build(args.mirror), args.out), (build_native(args.mirror), native_out), (build_unigen(args.mirror), unigen_out)):
        with out.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        counts: dict[str, int] = {}
        for r in rows:
            counts[f"{r['source']}/{r['split']}"] = counts.get(f"{r['source']}/{r['split']}", 0) + 1
        manifest[out.name] = counts, hashlib.sha256(out.read_bytes()).hexdigest()
        print(out.name, json.dumps(counts))
    (counts1, sha1), (counts2, sha2) = manifest[args.out.name], manifest[native_out.name]
    doc = {"sources": SOURCES, "split": "sha256('translate-split-v1:'+source+':'+image) % 3 == 0 -> sealed", "counts": counts1,
           "sha256": sha1, "committed": False,
           "native": {"file": native_out.name, "sources": NATIVE,
                      "split": "sha256('translate-split-v2:'+image) % 3 == 0 -> sealed2, else dev2 (Flickr8k train+val images only)",
                      "counts": counts2, "sha256": sha2, "committed": False},
           "unigen": {"file": unigen_out.name, "sources": UNIGEN,
                      "split": "sha256('translate-split-v3:'+index) % 3 == 0 -> usealed, else udev (short and long form of one index together)",
                      "counts": manifest[unigen_out.name][0], "sha256": manifest[unigen_out.name][1], "committed": True}}
    (args.out.parent / "parallel.manifest.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
