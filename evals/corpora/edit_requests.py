"""Build the real-request evaluation set for the offline drawing-prompt rewriter.

Reads public repositories fetched as bare git mirrors (``/work/.mirror/owner+name/repo``),
pins each to the commit recorded in ``SOURCES``, and writes, deterministically::

    OUT/real_dev.jsonl      2/3 of the items
    OUT/real_sealed.jsonl   1/3 (seeded hash of the id, stratified by lang x kind)
    OUT/sources.json        manifest: repo, commit, path, licence, lang, count, authorship

Every ``request`` is an edit instruction written by a person (the source's own text,
whitespace-normalised only). The ``first_turn`` comes from the source's caption where one
exists and otherwise from a fixed template of ours; ``first_turn_origin`` says which.
Labels (``kind``, ``expect``) are ours: ``propose()`` derives them from the source's target
caption / edit category, and ``edit_requests_fixes.json`` (next to this file) holds the
corrections made by reading each item (drops and overrides, keyed by id).

Usage::

    python evals/corpora/edit_requests.py --mirrors /work/.mirror --out evals/data/rewrite

Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

SEED = "dialoggen-real-rewrite-v1"
KINDS = ("add", "remove", "replace", "recolor", "style", "background", "global", "pose", "multi", "other")
PARTS = ("subject", "background", "shot", "style")
FIXES = Path(__file__).with_name("edit_requests_fixes.json")

# repo -> pinned commit, licence and what the repository says about who wrote the text.
SOURCES = {
    "ggip2p": {
        "repo": "z-esmaily/guided_grounded_instructpix2pix",
        "commit": "5e405b1151884b430b6b6aa341954803f6a60762",
        "path": "image_instruction_pairs_info/All_img_instruct_info.csv",
        "licence": "Apache-2.0 (LICENSE at repository root)",
        "lang": "en",
        "human_written": True,
        "authorship": "Instructions written by the paper's authors for their 226-pair test set "
        "(README: 'the 226 instruction-target pairs used in our evaluation'); not generated. "
        "First turns are built from the Unsplash page slug of the source photo (Unsplash's own "
        "photo description, which Unsplash may have machine-generated); rows whose link has no "
        "English slug are skipped.",
    },
    "editeval": {
        "repo": "SiatMMLab/Awesome-Diffusion-Model-Based-Image-Editing-Methods",
        "commit": "0581cec1a20b89ca0f60e70cd6545704d5600368",
        "path": "EditEval_v1/Dataset/editing_prompts_collection.xlsx",
        "licence": "MIT (LICENSE at repository root)",
        "lang": "en",
        "human_written": "unclear",
        "authorship": "EditEval v1 (survey benchmark): source prompt, target prompt and instruction per "
        "image, curated by the survey authors. The repository does not say whether an LLM drafted "
        "them; treat as 'curated by people, possibly LLM-assisted'. First turn = 'Draw <source prompt>'.",
    },
    "i2ebench": {
        "repo": "cocoshe/I2EBench",
        "commit": "7de50e3fb82c4cc2073700d727c6cecd50b68f0d",
        "path": "EditData/<dimension>/<dimension>.json (field ori_exp only)",
        "licence": "Apache-2.0 (LICENSE at repository root)",
        "lang": "en",
        "human_written": True,
        "authorship": "Only the 'original' instructions (ori_exp), which the README says the authors "
        "annotated; the 'diverse' instructions (div_exp) were generated with ChatGPT and are NOT used. "
        "Phrasing is highly templated ('Change the color of X to Y', 'replace X with Y'). No caption: "
        "first turns are a fixed template of ours built from the object the request names.",
    },
    "rededit": {
        "repo": "FireRedTeam/FireRed-Image-Edit",
        "commit": "456d010bd3f9bd727f1ab7fe60838caf6ee479e6",
        "path": "rededit_bench/redbench.jsonl (field a_to_b_instructions, Chinese)",
        "licence": "CC BY-NC-ND 4.0 for REDEdit-Bench (rededit_bench/README.md, 'License' section; the "
        "repository code is Apache-2.0). NON-COMMERCIAL ONLY, NO DERIVATIVES: instructions are copied "
        "verbatim and unmodified, our labels sit in separate fields; drop with --skip rededit if the "
        "project cannot accept these terms.",
        "lang": "zh",
        "human_written": "unclear",
        "authorship": "REDEdit-Bench (Xiaohongshu FireRed team): 'editing instructions that better align with "
        "human language ... carefully curated by experts'; bilingual pairs, Chinese field first. The "
        "README does not say people wrote every instruction; some long ones read LLM-polished, so only "
        "instructions of at most 24 characters in the simple categories are taken. No caption: first "
        "turns are a fixed template of ours built from the object the request names.",
    },
}

I2E_DIMS = {  # dimension -> (proposed kind, cap on unique requests taken)
    "ColorAlteration": ("recolor", 40),
    "Counting": ("add", 35),
    "DirectionPerception": ("add", 35),
    "ObjectRemoval": ("remove", 40),
    "Replacement": ("replace", 40),
    "RegionAccuracy": (None, 25),
    "BGReplacement": ("background", 99),
    "StyleAlteration": ("style", 99),
}

STOP = set(
    """a an the of to in on at by with and or for from into onto over under near next this that these those
    it its is are be being been as photo image picture there their his her him them they he she some
    same one make change turn convert replace add put remove left right top bottom side""".split()
)
COLOURS = set(
    """red orange yellow green blue purple pink brown black white grey gray golden gold silver beige
    cyan magenta violet turquoise teal navy maroon colorful colourful""".split()
)
PLACE_PREPS = re.compile(r"\b(in|on|at|under|near|behind|beside|above|below|against|inside|in front of|by)\b")
POSITION = re.compile(
    r"\b(left|right|top|bottom|above|below|behind|front|middle|center|centre|upper|lower|first|second|third|"
    r"last|next to|beside|near|closest|farthest|smaller|bigger|larger|one)\b",
    re.I,
)


# ----------------------------------------------------------------------------- reading


def git_show(mirrors: Path, repo: str, commit: str, path: str) -> bytes:
    gitdir = mirrors / repo.replace("/", "+") / "repo"
    if not gitdir.exists():
        raise SystemExit(f"mirror missing: {gitdir} (fetch github:{repo} first)")
    out = subprocess.run(
        ["git", f"--git-dir={gitdir}", "show", f"{commit}:{path}"], capture_output=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"cannot read {repo}@{commit}:{path}: {out.stderr.decode().strip()}")
    return out.stdout


def git_ls(mirrors: Path, repo: str, commit: str) -> list[str]:
    gitdir = mirrors / repo.replace("/", "+") / "repo"
    out = subprocess.run(
        ["git", f"--git-dir={gitdir}", "ls-tree", "-r", "--name-only", commit],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z'-]*", text.lower())


def content(text: str) -> list[str]:
    out = []
    for w in words(text):
        w = w.strip("'")
        if w.endswith("'s"):
            w = w[:-2]
        if w and w not in STOP and w not in out:
            out.append(w)
    return out


def article(noun: str) -> str:
    noun = noun.strip()
    if re.match(r"^(a|an|the|two|three|four|five|six|seven|some)\b", noun):
        return noun
    if re.search(r"[^s]s$|^(sheep|cattle|people)$", noun):
        return noun
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


# ----------------------------------------------------------------------------- labels


def expect(kind: str, include: list, exclude: list, target: str | None, first_turn: str,
           touched: str | None = None) -> dict:
    """Proposed expectations; ``touched`` is the old object word (for the background rule)."""
    keep = {
        "add": ["background", "shot", "style"],
        "remove": ["background", "shot", "style"],
        "replace": ["background", "shot", "style"],
        "recolor": ["background", "shot", "style"],
        "pose": ["background", "shot", "style"],
        "background": ["subject", "shot", "style"],
        "style": ["subject", "background", "shot"],
        "global": ["subject", "shot"],
        "multi": ["shot", "style"],
        "other": ["shot", "style"],
    }[kind]
    if touched and "background" in keep:
        # the touched thing may sit in the place phrase of the first turn: then the background may change
        ft = first_turn.lower()
        m = PLACE_PREPS.search(ft)
        if m and touched in ft[m.start():]:
            keep = [p for p in keep if p != "background"]
    return {"must_include": include, "must_exclude": exclude, "keep": keep, "target_part": target}


def classify_en(req: str) -> str:
    r = req.lower()
    if re.match(r"^(remove|delete|erase|get rid of|take out)\b", r):
        return "remove"
    if re.match(r"^(add|put|place|insert|include)\b", r):
        return "add"
    if "background" in r or "backdrop" in r:
        return "background"
    if re.match(r"^(give|wear)\b", r):
        return "add"
    if re.search(r"\bat night\b|\bsnowy\b|\bsunset\b|\bwinter\b|\bautumn\b", r) and not re.search(r"\b(into|to) an?\b", r):
        return "global"
    if re.search(r"\bstyle\b|cartoon|sketch|anime|watercolou?r|van gogh|pixar|ghibli", r):
        return "style"
    if re.search(r"^(colou?r|paint)\b", r):
        return "recolor"
    if re.match(r"^(change|turn|convert|replace|swap|transform|make)\b", r):
        return "replace"
    return "other"


def target_for(kind: str) -> str | None:
    return {"background": "background", "style": "style", "remove": "subject", "replace": "subject",
            "recolor": "subject", "pose": "subject"}.get(kind)


def propose_ggip2p(row: dict, first_turn: str) -> tuple[str, dict]:
    req, tgt = row["instruct"], row["target_description"]
    kind = classify_en(req)
    new = re.sub(r"^photo of (the )?(a |an )?(the )?", "", tgt.strip().lower())
    include = [w for w in content(new) if w not in ("color", "colour", "scene", "wear")]
    exclude: list = []
    touched = None
    req_words = set(content(re.split(r"\s(?:to|into|with|for)\s", req, maxsplit=1)[0]))
    if kind in ("replace", "other", "style") and any(w in COLOURS for w in include) and all(
        w in COLOURS or w in req_words for w in include
    ):
        kind = "recolor"
    m = re.match(r"^(?:change|turn|convert|replace|swap|transform)\s+(?:the\s+)?(.+?)\s+(?:to|into|with)\s+(.+)$", req.strip().rstrip("."), re.I)
    if m:
        old = content(m.group(1))
        old_head = [w for w in old if not POSITION.fullmatch(w)]
        newc = content(m.group(2))
        if old_head:
            touched = old_head[-1]
        if newc and (set(newc) <= COLOURS or (old_head and set(old_head[-1:]) <= set(newc) and set(newc) - set(old_head) <= COLOURS)):
            kind = "recolor"
        if not POSITION.search(m.group(1)):
            # whole thing replaced: the old head noun (replace) or the old colour (recolor) must go
            if kind == "replace" and old_head and old_head[-1] not in newc:
                exclude = [old_head[-1]]
            elif kind == "recolor":
                exclude = [w for w in old_head if w in COLOURS and w not in newc]
    if kind == "remove":
        m = re.match(r"^(?:remove|delete|erase)\s+(?:the\s+)?(.+?)(?:\s+from.*)?$", req.strip().rstrip("."), re.I)
        if m:
            old = [w for w in content(m.group(1)) if not POSITION.fullmatch(w)]
            touched = old[-1] if old else None
            if old and not POSITION.search(m.group(1)):
                exclude = [old[-1]]
        include = []
    return kind, expect(kind, include, exclude, target_for(kind), first_turn, touched)


EDITEVAL_KIND = {
    "Object Addition": "add",
    "Object Replacement": "replace",
    "Object Removal": "remove",
    "Background Change": "background",
    "Style Change": "style",
    "Texture Change": "replace",
    "Action Change": "pose",
}


def propose_editeval(cat: str, src: str, tgt: str, req: str, first_turn: str) -> tuple[str, dict]:
    kind = EDITEVAL_KIND.get(cat, classify_en(req))
    if kind == "style" and re.search(r"winter|autumn|summer|spring|sunset|night|dawn|rain|snow", req, re.I):
        kind = "global"
    s, t = content(src), content(tgt)
    include = [w for w in t if w not in s]
    exclude = [w for w in s if w not in t] if kind in ("replace", "remove", "background") else []
    if cat == "Texture Change":
        exclude = []
    touched = exclude[0] if exclude else None
    if kind == "remove":
        include = []
    return kind, expect(kind, include, exclude, target_for(kind), first_turn, touched)


def i2e_item(dim: str, req: str) -> tuple[str, str, dict] | None:
    """(kind, first_turn, expect) for an I2EBench original instruction, or None when the
    template does not match (such items are left out)."""
    r = req.strip().rstrip(".")
    m = re.match(r"^Change the color of (?:the )?(.+?) to (\w+)$", r, re.I)
    if m:
        obj, col = m.group(1), m.group(2).lower()
        if "'" in obj or " of " in obj or " on " in obj:
            return None  # part of something else: no fair first turn without a caption
        obj_words = [w for w in content(obj) if w not in COLOURS]
        ft = f"Draw a picture of {article(obj.replace('the ', ''))}."
        return "recolor", ft, expect("recolor", [col, obj_words[-1]] if obj_words else [col], [], "subject", ft)
    m = re.match(r"^replace (.+?) with (.+)$", r, re.I)
    if m:
        old, new = m.group(1).strip(), m.group(2).strip()
        ft = f"Draw a picture of {article(old)}."
        return "replace", ft, expect("replace", content(new), [content(old)[-1]], "subject", ft)
    m = re.match(r"^Remove (?:the )?(.+?)\s+from the image$", r, re.I)
    if m:
        old = m.group(1).strip()
        ft = f"Draw a picture of {article(old)} in a park."
        return "remove", ft, expect("remove", [], [content(old)[-1]], "subject", ft)
    m = re.match(r"^Add (.+?) (?:to|in|on|into) (?:the )?(.+)$", r, re.I)
    if m:
        new, where = m.group(1).strip(), m.group(2).strip()
        anchor = re.sub(r"^(top|bottom|left|right|inside|front|back)\s+of\s+(the\s+)?", "", where, flags=re.I)
        anchor = re.sub(r"'s\s+\w+$", "", anchor)
        if anchor.lower() == "image":
            ft = "Draw a picture of a sunny park."
        else:
            ft = f"Draw a picture of {article(anchor)}."
        nums = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7"}
        inc = [[w, nums[w]] if w in nums else w for w in content(new)] or [new.split()[-1].lower()]
        return "add", ft, expect("add", inc, [], None, ft)
    m = re.match(r"^Change the background of this photo to (\w+)$", r, re.I)
    if m:
        ft = "Draw a photo of a dog sitting in a garden."
        return "background", ft, expect("background", [m.group(1).lower()], ["garden"], "background", ft)
    m = re.match(r"^Change the image to (.+?) style$", r, re.I)
    if m:
        ft = "Draw a photo of a dog sitting in a garden."
        return "style", ft, expect("style", content(m.group(1)), [], "style", ft)
    return None


# ----------------------------------------------------------------------------- sources


def unsplash_slug(url: str) -> str | None:
    """The English description in an Unsplash photo URL (``/photos/<words>-<11-char id>``)."""
    m = re.search(r"unsplash\.com/photos/([A-Za-z0-9_-]+)", url)
    if not m or len(m.group(1)) <= 12:
        return None
    text = m.group(1)[:-12].replace("-", " ").strip()
    return text if len(text.split()) >= 3 else None


def load_ggip2p(mirrors: Path) -> list[dict]:
    s = SOURCES["ggip2p"]
    raw = git_show(mirrors, s["repo"], s["commit"], s["path"]).decode("utf-8")
    items = []
    for n, row in enumerate(csv.DictReader(io.StringIO(raw))):
        desc = unsplash_slug(row["image_address"])
        if not desc:
            continue
        ft = f"Draw {desc}."
        kind, exp = propose_ggip2p(row, ft)
        items.append({
            "id": f"ggip2p-{n:03d}", "lang": "en", "source": "ggip2p", "item": f"row {n + 2}",
            "first_turn": ft, "first_turn_origin": "unsplash-slug", "request": norm(row["instruct"]),
            "kind": kind, "expect": exp, "source_target": norm(row["target_description"]),
        })
    return items


def xlsx_rows(data: bytes) -> list[list[str]]:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
    rows = []
    sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    for row in sheet.iter("{%s}row" % ns["m"]):
        cells = {}
        for c in row.findall("m:c", ns):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            v = c.find("m:v", ns)
            val = "" if v is None else (shared[int(v.text)] if c.get("t") == "s" else v.text)
            cells[col] = val or ""
        rows.append([cells.get(k, "") for k in ("A", "B", "C", "D")])
    return rows


def load_editeval(mirrors: Path) -> list[dict]:
    s = SOURCES["editeval"]
    rows = xlsx_rows(git_show(mirrors, s["repo"], s["commit"], s["path"]))
    items, cat = [], ""
    for n, (a, b, c, d) in enumerate(rows):
        vals = [norm(x) for x in (a, b, c, d)]
        if "Source Prompt" in vals:
            cat = vals[0]
            continue
        cols = [v for v in vals if v]
        if len(cols) < 3:
            continue
        if len(cols) == 4:  # first row of a category (merged cell in column A)
            cat = cols[0]
        src, tgt, req = cols[-3], cols[-2], cols[-1]
        if re.search(r"\b(stands|sits|leans|walk|is|are)\b", src):
            ft = f"Draw this: {src}."
        else:
            ft = f"Draw {src[0].lower() + src[1:]}."
        kind, exp = propose_editeval(cat, src, tgt, req, ft)
        items.append({
            "id": f"editeval-{n:03d}", "lang": "en", "source": "editeval", "item": f"{cat} / row {n + 1}",
            "first_turn": ft, "first_turn_origin": "source-caption", "request": req,
            "kind": kind, "expect": exp, "source_target": tgt,
        })
    return items


def load_i2ebench(mirrors: Path) -> list[dict]:
    s = SOURCES["i2ebench"]
    items, seen = [], set()
    for dim, (_, cap) in I2E_DIMS.items():
        path = f"EditData/{dim}/{dim}.json"
        data = json.loads(git_show(mirrors, s["repo"], s["commit"], path))
        reqs = sorted({norm(v["ori_exp"]) for v in data.values()} - seen)
        reqs.sort(key=lambda r: hashlib.sha256(f"{SEED}:{r}".encode()).hexdigest())
        taken = 0
        for req in reqs:
            if taken >= cap:
                break
            got = i2e_item(dim, req)
            if got is None:
                continue
            kind, ft, exp = got
            seen.add(req)
            taken += 1
            key = hashlib.sha256(req.encode()).hexdigest()[:8]
            items.append({
                "id": f"i2ebench-{key}", "lang": "en", "source": "i2ebench", "item": f"{path}: ori_exp",
                "first_turn": ft, "first_turn_origin": "template-ours", "request": req,
                "kind": kind, "expect": exp, "source_target": None,
            })
    return items


ZH_LOC = r"(?:之间|上方|下方|上面|下面|旁边|左侧|右侧|左边|右边|前面|后面|背后|周围|中间|顶部|底部|里面|外面|附近|旁|上|里|中|内|下|前)"
ZH_SCENE = r"^(?:(?:图片|图像|画面|照片)(?:中|里)?的?|图(?:中|里)的?)"
ZH_PARTS = set("嘴 爪子 头顶 脖子 背 背部 后背 手 左手 右手 耳朵 头发 胸 胸前 面板 台面 座位 缝隙 地方 部分 脚 头".split())
ZH_KEEP = {"空中", "天空", "水中", "手中"}
ZH_COLOUR = r"(?:卡其色|巧克力色|彩虹色|(?:深|浅|淡|亮|米|粉|藏|天|酒|大|鲜|暗|金|银|橘|玫瑰)?[红橙黄绿青蓝紫粉黑白灰棕金银褐]{1,2}色)"
ZH_QUANT = r"^(?:[一两二三四五六七八九十几]+|一些|一对|一双)?[个只条片朵支把张辆座头匹束顶部罐幅棵架位盏台本双件套对根盆艘杯串道些枚列艘颗]?"
ZH_FT_FIXED = "画一只坐在花园里的小狗。"


def zh_core(x: str) -> str:
    """The object phrase without scene prefixes, quantifiers and trailing particles."""
    x = re.sub(ZH_SCENE, "", x.strip())
    x = re.sub(r"^(?:所有的?|全部的?|这个|这只|这匹|那个|掉|前景中的?|前景的?|前景上的?)", "", x)
    x = re.sub(r"^(?:[一两二三四五六七八九十几]+[个只条片朵支把张辆座头匹束顶部罐幅棵架位盏台本双件套对根盆艘杯串道些枚列颗圈副]|一些|一对|一双)", "", x)
    x = re.sub(r"(?:都|的颜色|的毛色|颜色)$", "", x)
    x = re.sub(r"[（(][^）)]*[）)]", "", x)
    return x.strip("，。 ")


def zh_head(x: str) -> str:
    return zh_core(zh_core(x).split("的")[-1])


def zh_heads(x: str) -> list[str]:
    """Head nouns of a coordination ('咖啡杯和书本' -> both), colour words dropped."""
    out = []
    for part in re.split(r"和|以及|、", zh_head(x)):
        h = re.sub("^" + ZH_COLOUR + "的?", "", zh_head(part)) or zh_head(part)
        if h and h not in out:
            out.append(h)
    return out


def zh_ft(obj: str) -> str:
    return f"画一幅画，里面有{zh_core(obj)}。"


def zh_anchor(where: str) -> str:
    w = zh_core(where)
    if w in ZH_KEEP:
        return w
    stripped = re.sub(ZH_LOC + "$", "", w)
    w = (stripped or w).rstrip("的")
    if "的" in w:
        first, last = w.split("的", 1)[0], w.split("的")[-1]
        last = re.sub(ZH_LOC + "$", "", last) or last
        if last in ZH_PARTS:
            w = zh_core(re.sub(ZH_LOC + "$", "", first))
        elif len(last) >= 2:
            w = last
    return zh_core(w)


def propose_rededit(task: str, req: str) -> tuple[str, str, dict] | None:
    r = req.strip().rstrip("。")
    if len(r) > 24 or "，" in r or "“" in r or "'" in r:
        return None
    if task == "remove":
        m = re.match(r"^(?:移除|去掉|去除|删除|删掉|清除|擦除)(?:掉)?(.+)$", r)
        if not m:
            return None
        obj = m.group(1)
        ft = zh_ft(obj)
        exc = zh_heads(obj)  # the first turn names exactly this thing, so all of it must go
        return "remove", ft, expect("remove", [], exc, "subject", ft)
    if task == "replace":
        m = re.match(r"^(?:将|把)(.+?)(?:都)?(?:替换为|替换成|换成|更换为|改为|变成)(.+)$", r)
        if not m:
            return None
        old, new = m.group(1), m.group(2)
        ft = zh_ft(old)
        heads = zh_heads(old)
        exc = [h for h in heads if h not in new]
        return "replace", ft, expect("replace", [zh_head(new)], exc, "subject", ft)
    if task == "color":
        m = re.match(r"^(?:将|把)(.+?)(?:从(.+?))?(?:修改为|修改成|调整为|改为|变为|变成|改成|换成|替换为)(.+)$", r)
        if not m or "色" not in m.group(3):
            return None
        obj, new = zh_core(m.group(1)), m.group(3)
        ft = zh_ft(obj)
        newcol = re.search(ZH_COLOUR, new)
        inc = [newcol.group(0)] if newcol else [zh_head(new)]
        exc = []
        old_col = re.fullmatch("(" + ZH_COLOUR + ")的?([^的上里中]+)", obj)
        if old_col and old_col.group(1) not in inc[0] and inc[0] not in old_col.group(1):
            exc = [old_col.group(1)]
        if m.group(2):
            exc = [m.group(2)]
        return "recolor", ft, expect("recolor", inc, exc, "subject", ft)
    if task == "add":
        m = re.match(r"^(?:在|给)(.+?)(?:再)?(?:增加|添加|加上|放置|摆放|戴上|穿上|放上|加|放)(.+)$", r)
        if not m:
            return None
        where, new = m.group(1), m.group(2)
        anchor = zh_anchor(where)
        if len(anchor) < 1 or anchor in ("图片", "画面", "图中", "图", "左侧", "右侧", "远处"):
            return None
        ft = zh_ft(anchor)
        new = re.sub(r"^[条只个艘](?=..)", "", new)
        inc = zh_heads(new) if re.search(r"和(?:一|两|几)", new) else [zh_heads(new.replace("和", "\u0000"))[0].replace("\u0000", "和")]
        return "add", ft, expect("add", inc, [], None, ft)
    if task == "background":
        m = re.match(r"^(?:将|把)背景(?:替换|更换|换|改)(?:为|成)(.+)$", r)
        if not m:
            return None
        return "background", ZH_FT_FIXED, expect("background", [zh_head(m.group(1))], ["花园"], "background", ZH_FT_FIXED)
    if task == "stylize":
        m = re.match(r"^(?:将|把)(?:整张)?(?:图片|图像|画面|照片)(?:整体)?(?:变为|转换为|转换成|转为|改为|变成|转化为)(.+?)(?:的)?(?:风格|画风)$", r)
        if not m:
            return None
        return "style", ZH_FT_FIXED, expect("style", [zh_head(m.group(1))], [], "style", ZH_FT_FIXED)
    return None


def load_rededit(mirrors: Path) -> list[dict]:
    s = SOURCES["rededit"]
    fixes = json.loads(FIXES.read_text(encoding="utf-8")) if FIXES.exists() else {}
    MANUAL = {k: v for k, v in fixes.items() if v.get("manual")}
    raw = git_show(mirrors, s["repo"], s["commit"], "rededit_bench/redbench.jsonl").decode("utf-8")
    items, seen = [], set()
    for line in raw.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        req = norm(row["a_to_b_instructions"])
        if req in seen:
            continue
        rid = f"rededit-{int(row['id']):04d}"
        manual = MANUAL.get(rid)
        got = (manual["kind"], manual["first_turn"], dict(manual["expect"])) if manual else propose_rededit(row["task"], req)
        if got is None:
            continue
        seen.add(req)
        kind, ft, exp = got
        items.append({
            "id": f"rededit-{int(row['id']):04d}", "lang": "zh", "source": "rededit",
            "item": f"redbench.jsonl id {row['id']} ({row['task']})",
            "first_turn": ft, "first_turn_origin": "hand-ours" if manual else "template-ours", "request": req,
            "kind": kind, "expect": exp, "source_target": row.get("a_to_b_instructions_eng"),
        })
    return items


LOADERS = {"ggip2p": load_ggip2p, "editeval": load_editeval, "i2ebench": load_i2ebench, "rededit": load_rededit}


# ----------------------------------------------------------------------------- real first turns (captions)
#
# The second build (issue 12, "real first turns"): every item whose first turn is one of our
# templates is paired, where one fits, with a human-written caption that names the thing the
# request edits, turned into a drawing request ("Draw <caption>." / "画<caption>。"). Only these
# re-paired items go to the caption files; the split is inherited from the item's split above
# (itself a seeded hash of the id), so a request that was sealed stays sealed and the old files
# are untouched. Captions are looked up in the pools in order; the pick among matching captions
# is a seeded hash of (item id, caption).

CAP_SEED = "dialoggen-real-rewrite-captions-v1"
CAPTION_SOURCES = {
    "coco-cn": {
        "repo": "li-xirong/coco-cn",
        "commit": "22b218e394627df60ee3a05a72be080624728a99",
        "path": "data/coco-cn_ext.icap2020.txt",
        "licence": "MIT (LICENSE at repository root)",
        "lang": "zh",
        "authorship": "COCO-CN extension (2021): 4,712 Chinese sentences 'manually written' for COCO images "
        "via the authors' iCap interactive captioning system (README, 2021-02-03 entry).",
    },
    "flickr8k-cn": {
        "repo": "li-xirong/flickr8kcn",
        "commit": "a19b9aa4a7ad2a42741460d9f47385637ae270cd",
        "path": "data/flickr8kzhc.caption.txt",
        "licence": "NONE STATED: the repository has no licence file and its README names none (Flickr8K "
        "itself is distributed for research use). Used for evaluation only; drop with --no-flickr.",
        "lang": "zh",
        "authorship": "Flickr8K-CN: 'Chinese sentences written by native Chinese speakers' (README, Data, "
        "item 2), not the machine- or human-translated files.",
    },
    "flickr8k-en": {
        "repo": "li-xirong/flickr8kcn",
        "commit": "a19b9aa4a7ad2a42741460d9f47385637ae270cd",
        "path": "data/flickr8kenc.caption.txt",
        "licence": "NONE STATED in this repository (see flickr8k-cn); the Flickr8K captions were published "
        "for research use. Used for evaluation only; drop with --no-flickr.",
        "lang": "en",
        "authorship": "The original Flickr8K English captions (README: 'Original English sentences'), "
        "crowd-written (Hodosh et al. 2013, Mechanical Turk).",
    },
    "xtd10-en": {
        "repo": "adobe-research/Cross-lingual-Test-Dataset-XTD10",
        "commit": "d77ff16148468c84287f3efcbf602a015c5e4954",
        "path": "XTD10/test_1kcaptions_en.txt",
        "licence": "Adobe Research License (LICENSE.md): NON-COMMERCIAL RESEARCH ONLY. The English lines are "
        "MS-COCO 2014 captions (COCO annotations are CC BY 4.0).",
        "lang": "en",
        "authorship": "1,000 MS-COCO 2014 captions (crowd-written by COCO's annotators); XTD10 adds "
        "crowd translations, which are not used.",
    },
}
CAP_POOLS = {"zh": ("coco-cn", "flickr8k-cn"), "en": ("flickr8k-en", "xtd10-en")}
EN_PLACE = re.compile(
    r"\b(?:in|on|at|by|near|across|through|along)\s+(?:a|an|the)\s+(?:\w+\s+)?"
    r"(park|field|yard|beach|garden|street|grass|snow|water|woods|forest|road|river|lake|ocean|sand|pool|"
    r"city|mountains?|meadow|desert|sidewalk|hill)\b"
)
ZH_PLACE = re.compile(r"在(?:[^，。在]{0,4}?)(草地|公园|海滩|沙滩|街道|雪地|河边|湖边|田野|花园|马路|森林|海边|草坪|树林|广场|操场|沙漠|山坡|水中|水里)")
ZH_SINGLE_FOLLOW = set("在正躺站坐趴跑走和与，。的上下里旁前后边身头嘴蹲卧叼望看吃喝玩追")
ZH_MEASURE = set("只个条匹头辆张片朵棵位名群的艘架台座把")


def load_caption_pool(mirrors: Path, name: str) -> list[str]:
    s = CAPTION_SOURCES[name]
    raw = git_show(mirrors, s["repo"], s["commit"], s["path"]).decode("utf-8")
    out, seen = [], set()
    for line in raw.splitlines():
        parts = re.split(r"\t| ", line, maxsplit=1) if s["lang"] == "zh" or "#" in line.split(" ")[0] else ["", line]
        text = norm(parts[-1]) if len(parts) == 2 else ""
        if s["lang"] == "en":
            text = re.sub(r"\s+([.,])", r"\1", text).rstrip(" .")
            if not text or len(text.split()) > 16 or re.search(r"[.;!?]", text):
                continue
        else:
            text = text.rstrip("。 ")
            if not text or len(text) > 24 or re.search(r"[。；！？!?;a-zA-Z]", text):
                continue
        if text.lower() not in seen:
            seen.add(text.lower())
            out.append(text)
    return out


def _en_count(word: str, text: str, plural: bool = True) -> int:
    return len(re.findall(r"\b" + re.escape(word) + (r"(?:s|es)?" if plural else "") + r"\b", text.lower()))


def _flat(inc: list) -> list[str]:
    return [x for e in inc for x in (e if isinstance(e, list) else [e])]


EN_FOLLOW = set("""in on at with and or is are was were by near under over of to from that which while as behind
    beside next into through across along for the a an its his her their who around toward towards up down out
    off against above below inside outside nearby together""".split())
EN_VERB_S = set("""sit run play walk jump stand look lie swim ride eat hold fly chase wear carry climb sleep lay pull
    bite fight leave nip twist do go leap catch drink rest perch graze watch get sniff wait splash lean race
    head move cross pose drive float hang turn roll dig dive peek stare smile laugh kick throw grab
    hug sail fetch reach stay spin skip""".split())


def _en_names(word: str, cap: str) -> bool:
    """``word`` is named once in the caption as a head noun: not part of a compound ('toilet
    paper', 'cattle dog', 'sun-lit') or a proper name ('Mickey Mouse', "Domino 's Pizza")."""
    toks = re.findall(r"[A-Za-z][A-Za-z'-]*|'s|[,.]", cap)
    hits = [i for i, t in enumerate(toks) if re.fullmatch(re.escape(word) + r"(?:s|es)?", t.lower())]
    if len(hits) != 1:
        return False
    i = hits[0]
    tok = toks[i]
    if "-" in tok or (i and (toks[i - 1] == "'s" or (toks[i - 1][:1].isupper() and i > 1))) or tok[:1].isupper() and i:
        return False
    nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
    if not nxt or nxt in (",", ".") or nxt in EN_FOLLOW or nxt.endswith("ing") or nxt.endswith("ed"):
        return True
    return nxt.endswith("s") and (nxt[:-1] in EN_VERB_S or nxt[:-2] in EN_VERB_S)


def _en_obj(ft: str) -> str | None:
    m = re.fullmatch(r"Draw a picture of (.+?)(?: in a park)?\.", ft)
    return m.group(1) if m else None


def _zh_obj(ft: str) -> str | None:
    m = re.fullmatch(r"画一幅画，里面有(.+)。", ft)
    return m.group(1) if m else None


def _en_fits(it: dict, cap: str) -> dict | None:
    """The expectations for ``it`` with ``cap`` as the first turn, or None if the caption does not
    name the thing the request edits once and unambiguously."""
    e = it["expect"]
    c = cap.lower()
    kind = it["kind"]
    exc = list(e["must_exclude"])
    keep = list(e["keep"])
    if kind == "style":
        return {**e}
    if kind == "background":
        places = EN_PLACE.findall(c)
        if len(places) != 1 or _en_count(places[0], c) != 1 or places[0] in _flat(e["must_include"]):
            return None
        return {**e, "must_exclude": [places[0]]}
    obj = _en_obj(it["first_turn"])
    if not obj or (kind == "recolor" and content(obj)[-1:] and content(obj)[-1] in COLOURS):
        return None  # 'the orange' (the fruit) would match 'an orange dress'
    if obj == "a sunny park":  # 'Add X to the image'
        if _en_count("park", c) != 1:
            return None
        obj_words = ["park"]
    else:
        obj_words = [w for w in content(obj)]
        if not obj_words:
            return None
        head = obj_words[-1]
        if _en_count(head, c, plural=False) != 1 or _en_count(head, c) != 1 or not _en_names(head, cap):
            return None
        if any(_en_count(w, c) == 0 for w in obj_words):
            return None
    for w in exc:
        if _en_count(w, c) != 1:
            return None
    for w in _flat(e["must_include"]):
        if w not in obj_words and any(_en_count(x, c) for x in w.split()):
            return None  # the caption already has what the edit brings in
    if kind == "recolor" and not exc:
        m = re.search(r"\b(" + "|".join(sorted(COLOURS)) + r")\s+" + re.escape(obj_words[-1]) + r"\b", c)
        if m and _en_count(m.group(1), c, plural=False) == 1 and m.group(1) not in _flat(e["must_include"]):
            exc = [m.group(1)]
    m = PLACE_PREPS.search(c)
    if m and any(w in c[m.start():] for w in obj_words[-1:] + exc) and "background" in keep:
        keep = [p for p in keep if p != "background"]  # the edited thing sits in the place phrase
    return {**e, "must_exclude": exc, "keep": keep}


def _zh_names(x: str, cap: str) -> bool:
    if cap.count(x) != 1:
        return False
    if len(x) >= 2:
        return True
    i = cap.index(x)
    before = cap[i - 1] if i else ""
    after = cap[i + 1] if i + 1 < len(cap) else "。"
    return before in ZH_MEASURE and after in ZH_SINGLE_FOLLOW


def _zh_fits(it: dict, cap: str) -> dict | None:
    e = it["expect"]
    kind = it["kind"]
    exc = list(e["must_exclude"])
    keep = list(e["keep"])
    if kind == "style":
        return {**e}
    if kind == "background":
        places = ZH_PLACE.findall(cap)
        if len(places) != 1 or cap.count(places[0]) != 1:
            return None
        if any(places[0] in w or w in places[0] for w in _flat(e["must_include"])):
            return None
        return {**e, "must_exclude": [places[0]]}
    obj = _zh_obj(it["first_turn"])
    if not obj or not _zh_names(obj, cap):
        return None
    for w in exc:
        if not _zh_names(w, cap) and cap.count(w) != 1:
            return None
    for w in _flat(e["must_include"]):
        if w not in obj and w in cap:
            return None
    if kind == "recolor" and not exc:
        m = re.search("(" + ZH_COLOUR + ")的?" + re.escape(obj), cap)
        if m and cap.count(m.group(1)) == 1 and all(m.group(1) not in w and w not in m.group(1) for w in _flat(e["must_include"])):
            exc = [m.group(1)]
    place = re.search(r"在[^，。]*?" + re.escape(obj) + r"[^，。]*?(?:上|里|中|旁|下|前|后|边|附近)", cap)
    if place and "background" in keep:
        keep = [p for p in keep if p != "background"]
    return {**e, "must_exclude": exc, "keep": keep}


def caption_turn(lang: str, cap: str) -> str:
    if lang == "zh":
        return f"画{cap}。"
    if re.search(r"\b(is|are|was|were)\b", cap.lower()):
        return f"Draw this: {cap}."
    return f"Draw {cap[0].lower() + cap[1:]}."


def pair_captions(items: list[dict], pools: dict[str, list[str]]) -> tuple[list[dict], dict]:
    """Items re-paired with a caption first turn, and counts of what stayed a template."""
    out: list[dict] = []
    stats: dict = {"paired": {}, "template_kept": {}, "not_template": {}}

    def bump(key: str, sub: str) -> None:
        stats[key][sub] = stats[key].get(sub, 0) + 1

    fixes = json.loads(FIXES.read_text(encoding="utf-8")) if FIXES.exists() else {}
    for it in items:
        if it["first_turn_origin"] != "template-ours":
            bump("not_template", f"{it['lang']}:{it['first_turn_origin']}")
            continue
        skip = {c.lower() for c in fixes.get(it["id"] + "-cap", {}).get("skip_captions", [])}
        got = None
        if it["kind"] in ("add", "remove", "replace", "recolor", "style", "background"):
            fits = _zh_fits if it["lang"] == "zh" else _en_fits
            for pool in CAP_POOLS[it["lang"]]:
                cands = []
                for cap in pools.get(pool, []):
                    if cap.lower() in skip:
                        continue
                    exp = fits(it, cap)
                    if exp is not None:
                        cands.append((hashlib.sha256(f"{CAP_SEED}:{it['id']}:{cap}".encode()).hexdigest(), cap, exp))
                if cands:
                    _, cap, exp = min(cands)
                    got = (pool, cap, exp)
                    break
        if got is None:
            bump("template_kept", it["lang"])
            continue
        pool, cap, exp = got
        new = dict(it)
        new.update({
            "id": it["id"] + "-cap", "first_turn": caption_turn(it["lang"], cap),
            "first_turn_origin": f"caption:{pool}", "expect": exp, "template_item": it["id"],
        })
        bump("paired", f"{it['lang']}:{pool}")
        out.append(new)
    return out, stats


# ----------------------------------------------------------------------------- build


def apply_fixes(items: list[dict], fixes: dict) -> list[dict]:
    out = []
    for it in items:
        fx = fixes.get(it["id"])
        if fx is None:
            out.append(it)
            continue
        if fx.get("drop"):
            continue
        for k in ("kind", "first_turn", "first_turn_origin"):
            if k in fx:
                it[k] = fx[k]
        for k, v in fx.get("expect", {}).items():
            it["expect"][k] = v
        it["reviewed_fix"] = fx.get("why", "fixed by reading")
        out.append(it)
    return out


def split(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Stratified by (lang, kind): within each stratum, order by a seeded hash of the id and
    send every third item to the sealed split."""
    strata: dict[tuple, list] = {}
    for it in items:
        strata.setdefault((it["lang"], it["kind"]), []).append(it)
    dev, sealed = [], []
    for key in sorted(strata):
        group = sorted(strata[key], key=lambda it: hashlib.sha256(f"{SEED}:{it['id']}".encode()).hexdigest())
        for i, it in enumerate(group):
            (sealed if i % 3 == 2 else dev).append(it)
    return sorted(dev, key=lambda it: it["id"]), sorted(sealed, key=lambda it: it["id"])


def build(mirrors: Path, only: list[str] | None = None) -> list[dict]:
    fixes = json.loads(FIXES.read_text(encoding="utf-8")) if FIXES.exists() else {}
    items = []
    for name, loader in LOADERS.items():
        if only and name not in only:
            continue
        items.extend(loader(mirrors))
    items = apply_fixes(items, fixes)
    # no fair machine check without a caption naming the thing (e.g. 'remove the left ski pole'): leave out
    items = [it for it in items if it["expect"]["must_include"] or it["expect"]["must_exclude"]]
    seen, out = set(), []
    for it in items:  # same request text in two sources: keep the first
        key = (it["lang"], it["request"].lower().rstrip("."))
        if key in seen:
            continue
        seen.add(key)
        it.pop("source_target", None)
        out.append(it)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=Path("evals/data/rewrite"))
    ap.add_argument("--skip", action="append", default=[], choices=sorted(SOURCES),
                    help="leave a source out (e.g. --skip rededit if its CC BY-NC-ND terms do not fit)")
    ap.add_argument("--review", action="store_true", help="print proposed labels (before the split) and exit")
    ap.add_argument("--review-captions", action="store_true",
                    help="print the caption pairing of the development part (never the sealed part) and exit")
    ap.add_argument("--no-flickr", action="store_true",
                    help="leave out the Flickr8K caption pools (their repository states no licence)")
    args = ap.parse_args(argv)
    if args.review:
        fixes = json.loads(FIXES.read_text(encoding="utf-8")) if FIXES.exists() else {}
        for name, loader in LOADERS.items():
            for it in apply_fixes(loader(args.mirrors), fixes):
                e = it["expect"]
                print(f"{it['id']}\t{it['kind']}\t{it['request']}\t|FT {it['first_turn']}\t|T {it.get('source_target')}"
                      f"\t|+{e['must_include']} -{e['must_exclude']} keep={','.join(e['keep'])} tp={e['target_part']}")
        return 0
    items = build(args.mirrors, only=[n for n in SOURCES if n not in args.skip])
    dev, sealed = split(items)
    pools = {name: load_caption_pool(args.mirrors, name) for name in CAPTION_SOURCES
             if not (args.no_flickr and name.startswith("flickr"))}
    cap_dev, stats_dev = pair_captions(dev, pools)
    cap_sealed, stats_sealed = pair_captions(sealed, pools)
    if args.review_captions:
        for it in cap_dev:
            e = it["expect"]
            print(f"{it['id']}\t{it['kind']}\t{it['request']}\t|FT {it['first_turn']}"
                  f"\t|+{e['must_include']} -{e['must_exclude']} keep={','.join(e['keep'])}")
        print(json.dumps(stats_dev, ensure_ascii=False), file=sys.stderr)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, part in (("real_dev.jsonl", dev), ("real_sealed.jsonl", sealed),
                       ("real_cap_dev.jsonl", cap_dev), ("real_cap_sealed.jsonl", cap_sealed)):
        with open(args.out / name, "w", encoding="utf-8") as f:
            for it in part:
                f.write(json.dumps(it, ensure_ascii=False, sort_keys=False) + "\n")
    manifest = {"seed": SEED, "split": "seeded sha256 of id, stratified by lang x kind, every 3rd -> sealed",
                "labelling": "kind/expect proposed by propose_* from the source's target caption or edit "
                "category (evals/corpora/edit_requests.py), then corrected by reading every item; the "
                "corrections are evals/corpora/edit_requests_fixes.json",
                "sources": []}
    for name, s in SOURCES.items():
        if name in args.skip:
            continue
        n = [it for it in items if it["source"] == name]
        manifest["sources"].append({
            "name": name, **{k: s[k] for k in ("repo", "commit", "path", "licence", "lang", "human_written", "authorship")},
            "count": len(n), "dev": sum(it["source"] == name for it in dev),
            "sealed": sum(it["source"] == name for it in sealed),
            "first_turn_origin": sorted({it["first_turn_origin"] for it in n}),
        })
    cap_all = cap_dev + cap_sealed
    manifest["captions"] = {
        "files": ["real_cap_dev.jsonl", "real_cap_sealed.jsonl"],
        "what": "items of the files above whose template first turn was replaced by a human-written caption "
        "naming the edited thing ('Draw <caption>.' / '画<caption>。'); split inherited from the item's split "
        "(a request that is sealed above stays sealed); ids end in -cap",
        "seed": CAP_SEED,
        "count": len(cap_all), "dev": len(cap_dev), "sealed": len(cap_sealed),
        "template_kept": {k: stats_dev["template_kept"].get(k, 0) + stats_sealed["template_kept"].get(k, 0)
                          for k in ("en", "zh")},
        "sources": [{"name": n, **s, "used": sum(it["first_turn_origin"] == f"caption:{n}" for it in cap_all)}
                    for n, s in CAPTION_SOURCES.items() if n in pools],
    }
    (args.out / "sources.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    counts: dict = {}
    for tag, part in (("dev", dev), ("sealed", sealed)):
        for it in part:
            counts[(it["lang"], it["kind"], tag)] = counts.get((it["lang"], it["kind"], tag), 0) + 1
    for k in sorted(counts):
        print(*k, counts[k], sep="\t")
    print(f"total {len(items)}: dev {len(dev)}, sealed {len(sealed)}", file=sys.stderr)
    print(f"captions: dev {len(cap_dev)}, sealed {len(cap_sealed)}; dev {json.dumps(stats_dev)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
