"""Language detection for the two languages the product serves (English, Chinese)."""

from __future__ import annotations

import re
from typing import Literal

Lang = Literal["en", "zh"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def detect_lang(text: str) -> Lang:
    """``"zh"`` when CJK ideographs make up a fair share of the letters, else ``"en"``."""
    if not text:
        return "en"
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk and cjk * 3 >= latin else "en"
