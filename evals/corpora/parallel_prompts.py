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

Run: ``python evals/corpora/parallel_prompts.py`` (writes both jsonl files and ``parallel.manifest.json``;
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
    manifest: dict = {}
    for rows, out in ((build(args.mirror), args.out), (build_native(args.mirror), native_out)):
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
                      "counts": counts2, "sha256": sha2, "committed": False}}
    (args.out.parent / "parallel.manifest.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
