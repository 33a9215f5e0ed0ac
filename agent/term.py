"""The one way text reaches the terminal: every string the CLI prints passes :func:`clean`.

User text, model replies, thread names, captions, file paths and PNG metadata may hold
anything: rich markup (``[/b]``), emoji codes (``:x:``), or terminal escape sequences (clear
screen, window title, OSC-8 hyperlinks, colours). :func:`clean` removes escape sequences and
control characters (newlines and tabs stay); :func:`say` prints cleaned text as rich
:class:`~rich.text.Text`, which rich never parses for markup or emoji, with styles given
apart from the text. JSON lines (:func:`json_line`) keep the text but write every control
character as a ``\\u`` escape, so no escape byte reaches a terminal either way.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Optional, Union

__all__ = ["clean", "say", "styled", "console", "json_line", "StreamFilter", "quiet_third_party"]

# Escape sequences (ECMA-48), 7-bit and 8-bit forms: CSI, OSC/DCS/SOS/PM/APC strings (up to
# BEL or ST), then any other two-byte escape. What a regex cannot pair up (a lone ESC, an
# unterminated string) loses its control bytes in the translate step below.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b(?![\[\]PX^_])[ -/]*[0-~]"
)
# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
# isolates that make a line display in another order than it reads ("Trojan Source").
_DROP = {c: None for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INTRODUCER = re.compile("[\x1b\x9b\x90\x98\x9d\x9e\x9f]")

Part = Union[str, tuple[Any, str], None]


def clean(text: Any) -> str:
    """``text`` as a string with escape sequences and control characters removed (newlines
    and tabs kept; ``\\r\\n`` becomes ``\\n``)."""
    s = "" if text is None else str(text)
    if not s:
        return s
    s = s.replace("\r\n", "\n")
    return _SEQUENCE.sub("", s).translate(_DROP)


def styled(*parts: Part) -> Any:
    """A rich Text from parts: ``"plain text"`` or ``(text, "style")``, each cleaned."""
    from rich.text import Text

    out = Text()
    for part in parts:
        if part is None:
            continue
        if isinstance(part, tuple):
            out.append(clean(part[0]), style=part[1] or None)
        else:
            out.append(clean(part))
    return out


def say(con: Any, *parts: Part, end: str = "\n") -> None:
    """Print parts (see :func:`styled`) on console ``con``: the CLI's one print."""
    con.print(styled(*parts), end=end, soft_wrap=not con.is_terminal or None)


def console(*, stderr: bool = False, file: Any = None) -> Any:
    """A rich Console that never reinterprets text (no markup, emoji codes or highlighting)
    and never hard-wraps output that is not a terminal."""
    from rich.console import Console

    con = Console(stderr=stderr, file=file, highlight=False, markup=False, emoji=False)
    if not con.is_terminal:
        con.soft_wrap = True
        con.width = 100_000  # tables size to their content instead of 80 columns
    return con


def json_line(obj: Any) -> str:
    """One JSON line (UTF-8 text kept, every control character written as ``\\uXXXX``)."""
    text = json.dumps(obj, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class StreamFilter:
    """:func:`clean` for text arriving in pieces (streamed reply tokens): an escape sequence
    split across two pieces is held back until it is complete, then removed whole."""

    #: Longest tail held back waiting for the end of a sequence.
    MAX_HELD = 512

    def __init__(self) -> None:
        self._held = ""
        self.text = ""  # everything fed so far, cleaned

    def feed(self, piece: str) -> str:
        """The printable text of ``piece`` (and of what was held back) that is now safe."""
        buf = self._held + (piece or "")
        self._held = ""
        pos = 0
        while (start := _INTRODUCER.search(buf, pos)) is not None:
            i = start.start()
            whole = _SEQUENCE.match(buf, i)
            if whole is not None:
                pos = whole.end()
            elif len(buf) - i <= self.MAX_HELD:  # may be completed by the next piece
                buf, self._held = buf[:i], buf[i:]
                break
            else:
                pos = i + 1
        if buf.endswith("\r"):  # a "\r\n" may be split: decide with the next piece
            buf, self._held = buf[:-1], "\r" + self._held
        out = clean(buf)
        self.text += out
        return out

    def flush(self) -> str:
        """Whatever is still held back, cleaned (at the end of the stream)."""
        out, self._held = clean(self._held), ""
        self.text += out
        return out


def quiet_third_party(names: Iterable[str] = ("HF_HUB_DISABLE_PROGRESS_BARS", "TQDM_DISABLE")) -> None:
    """Silence diffusers', transformers' and huggingface_hub's progress bars and chatter
    (they would break into the conversation); a value the user set stays."""
    import os

    import sys

    for name in names:
        os.environ.setdefault(name, "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    # tqdm reads TQDM_DISABLE when it is imported: a tqdm loaded before this call (by a
    # library, or by the host program) gets the same default through its constructor.
    tqdm_module = sys.modules.get("tqdm.std")
    if tqdm_module is not None and os.environ.get("TQDM_DISABLE") == "1":
        from functools import partialmethod

        cls = tqdm_module.tqdm
        if not getattr(cls.__init__, "_dialoggen_quiet", False):
            quiet_init = partialmethod(cls.__init__, disable=True)
            quiet_init._dialoggen_quiet = True  # type: ignore[attr-defined]
            cls.__init__ = quiet_init  # type: ignore[method-assign]


def first_line(text: Optional[str]) -> str:
    """The first line of ``text`` (for one-sentence error details)."""
    s = clean(text or "").strip()
    return s.splitlines()[0] if s else ""
