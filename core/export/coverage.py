"""Which characters the PDF fonts can print (check T01), without parsing a font every time.

reportlab needs about 0.3 s to parse one Chinese TrueType font, and `check` would pay that for
every font on every run. A font's coverage is therefore kept as ranges of code points, keyed by
the file's size (and, for the PC's own fonts, its modification time): for the shipped fonts in
resources/fonts/coverage.json (written by ``python -m core.export.coverage``; a test checks that
it matches the fonts), for the PC's fonts in the user's configuration folder, measured the first
time. ``None`` marks a font reportlab cannot embed (PostScript outlines): it is passed over, here
and in the PDF alike.
"""

from __future__ import annotations

import json
import os
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from core.export.fontfiles import FALLBACK_FILES, SHIPPED, choose
from core.store.fileutil import OutputError, write_text_atomic

SHIPPED_COVERAGE = SHIPPED / "coverage.json"
USER_COVERAGE = "font-coverage.json"

Ranges = list[list[int]] | None


def to_ranges(codes) -> list[list[int]]:
    out: list[list[int]] = []
    for code in sorted(codes):
        if out and code == out[-1][1] + 1:
            out[-1][1] = code
        else:
            out.append([code, code])
    return out


def from_ranges(ranges: list[list[int]]) -> frozenset[int]:
    return frozenset(code for start, end in ranges for code in range(start, end + 1))


def measure(path: str, index: int) -> Ranges:
    """Parse the font (slow): the code points it maps, or None when reportlab cannot embed it."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        font = TTFont("jxzp-coverage", path, subfontIndex=index)
    except (TTFError, OSError, ValueError, KeyError, AssertionError):
        return None
    return to_ranges(font.face.charToGlyph)


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=1)
def _shipped() -> dict:
    return _read(SHIPPED_COVERAGE)


def shipped_key(name: str, index: int, size: int) -> str:
    return f"{name}|{index}|{size}"


@lru_cache(maxsize=64)
def _coverage(path: str, index: int, size: int, mtime_ns: int) -> frozenset[int] | None:
    if Path(path).parent == SHIPPED:
        ranges = _shipped().get(shipped_key(Path(path).name, index, size), False)
        if ranges is not False:
            return None if ranges is None else from_ranges(ranges)
    from core.store.settings import config_dir  # only for the PC's own fonts

    user_file = config_dir() / USER_COVERAGE
    key = f"{path}|{index}|{size}|{mtime_ns}"
    cached = _read(user_file)
    if key in cached:
        ranges = cached[key]
    else:
        ranges = measure(path, index)
        cached[key] = ranges
        try:
            user_file.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(user_file, json.dumps(cached))
        except (OSError, OutputError):
            pass  # measured again next time; nothing else is lost
    return None if ranges is None else from_ranges(ranges)


def coverage(path: str, index: int) -> frozenset[int] | None:
    """The code points the font at ``path`` prints; None when it cannot be used (or read)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _coverage(path, index, st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Every code point some font of the PDF's chain prints (the fonts the PDF would use)."""
    _roles, chain = choose(lambda path, index: coverage(path, index) is not None)
    out: set[int] = set()
    for font in chain:
        out |= coverage(*font)
    return frozenset(out)


class Printable:
    """The code points some font of the PDF's chain prints, asked one at a time (check T01).

    The chain always ends with the shipped fallback fonts (fontfiles.choose), so a character they
    print is printable whatever fonts the PC has: that is answered from their ranges in
    coverage.json, without asking fontconfig (a process) for the PC's fonts or building the set of
    every covered code point. Only a character they lack is looked up in ``covered()``."""

    def __init__(self) -> None:
        merged: list[list[int]] = []  # the fonts' ranges joined into disjoint ones
        for start, end in sorted(r for file in FALLBACK_FILES for r in self._shipped_ranges(file)):
            if merged and start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _end in merged]
        self._ends = [end for _start, end in merged]

    @staticmethod
    def _shipped_ranges(file: str) -> list[list[int]]:
        path = SHIPPED / file
        try:
            ranges = _shipped().get(shipped_key(file, 0, path.stat().st_size))
        except OSError:
            ranges = None
        return ranges or []

    def __contains__(self, code: int) -> bool:
        i = bisect_right(self._starts, code) - 1
        return (i >= 0 and code <= self._ends[i]) or code in covered()


@lru_cache(maxsize=1)
def printable() -> Printable:
    return Printable()


def write_shipped() -> dict:
    """Measure the shipped fonts and write resources/fonts/coverage.json."""
    data = {}
    for file in sorted(p for p in SHIPPED.iterdir() if p.suffix.lower() in (".ttf", ".ttc")):
        data[shipped_key(file.name, 0, file.stat().st_size)] = measure(str(file), 0)
    write_text_atomic(SHIPPED_COVERAGE, json.dumps(data, separators=(",", ":")) + "\n")
    return data


if __name__ == "__main__":
    for key, ranges in write_shipped().items():
        print(key, "not embeddable" if ranges is None else f"{sum(e - s + 1 for s, e in ranges)} characters")
