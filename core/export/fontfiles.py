"""Which font files the PDF uses, per role, found without loading any of them.

Roles follow GB/T 9704: 仿宋 for the body, 黑体 for 一、 headings, 楷体 for （一） headings, 宋体 for
tables, 小标宋 (or 黑体) for the title. The 公文 fonts of the PC come first (Windows' font folders,
then fontconfig on Linux), the open fonts shipped in resources/fonts last. Whether a candidate can
be used (TrueType outlines that reportlab can embed) is the caller's question: the PDF registers
the font (core/export/fonts.py), check T01 asks its cached coverage (core/export/coverage.py); both
walk the same candidates in the same order, so they agree on the fonts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"
ROLES = ("fangsong", "hei", "kai", "song", "title")

#: What to look for on the PC, per role: Windows file names, then fontconfig family names.
WINDOWS_FILES = {
    "fangsong": ["simfang.ttf", "FZFSJW.TTF"],
    "hei": ["simhei.ttf"],
    "kai": ["simkai.ttf", "FZKTJW.TTF"],
    "song": ["simsun.ttc", "simsun.ttf"],
    "title": ["FZXBSJW.TTF", "方正小标宋简体.ttf", "simhei.ttf"],
}
FAMILIES = {
    "fangsong": ["FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "FZFangSong-Z02S", "方正仿宋_GBK"],
    "hei": ["SimHei", "黑体", "FZHei-B01S", "方正黑体_GBK", "WenQuanYi Zen Hei", "文泉驿正黑"],
    "kai": ["KaiTi", "楷体", "KaiTi_GB2312", "楷体_GB2312", "FZKai-Z03S", "AR PL KaitiM GB"],
    "song": ["SimSun", "宋体", "NSimSun", "AR PL SungtiL GB", "AR PL UMing CN"],
    "title": ["FZXiaoBiaoSong-B05S", "方正小标宋简体", "方正小标宋_GBK", "SimHei", "黑体"],
}
#: The open fonts shipped in resources/fonts (TrueType outlines; licences beside them).
SHIPPED_FILES = {
    # FandolFang converted to TrueType outlines (resources/fonts/make_fandolfang.py): the open 仿宋
    "fangsong": "FandolFang-Regular.ttf",
    "hei": "wqy-zenhei.ttf",
    "kai": "gkai00mp.ttf",
    "song": "gbsn00lp.ttf",
    "title": "wqy-zenhei.ttf",
}
FALLBACK_FILES = ["wqy-zenhei.ttf", "gbsn00lp.ttf"]
#: Faces of a PC's font files that are shipped alone (resources/fonts/make_wqy_zenhei.py wrote face 0
#: of Debian's wqy-zenhei.ttc, this size, as wqy-zenhei.ttf): (file name, face, size) → shipped file.
SHIPPED_FACES = {("wqy-zenhei.ttc", 0, 16_791_251): "wqy-zenhei.ttf"}

FontFile = tuple[str, int]  # (path, index in a collection)


def _windows_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


@lru_cache(maxsize=1)
def _fontconfig() -> list[tuple[str, str, int]]:
    """(family names, file, index) of the Chinese fonts fontconfig knows; empty without it."""
    import shutil  # here: `check` of a report the shipped fonts print never gets this far
    import subprocess

    if sys.platform == "win32" or not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "family", "file", "index"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        # /path/file.ttc: Family A,Family B:index=0
        path, _, rest = line.partition(": ")
        families, _, index = rest.partition(":index=")
        found.append((families, path.strip(), int(index or 0)))
    return found


def candidates(role: str) -> Iterator[FontFile]:
    """The font files that could serve ``role``, best first; the shipped one last."""
    for folder in _windows_dirs():
        for file in WINDOWS_FILES[role]:
            if (folder / file).exists():
                yield str(folder / file), 0
    installed = _fontconfig()
    for family in FAMILIES[role]:
        for families, path, index in installed:
            if family in families.split(",") and path.lower().endswith((".ttf", ".ttc")):
                yield path, index
    yield str(SHIPPED / SHIPPED_FILES[role]), 0


def _shipped_copy(font: FontFile) -> FontFile:
    """The shipped file when ``font`` is a copy of it installed on the PC (Debian's
    fonts-wqy-zenhei holds the face we ship): one font is then parsed and embedded once, not twice
    under two names."""
    path = Path(font[0])
    try:
        size = path.stat().st_size
    except OSError:
        return font
    face = SHIPPED_FACES.get((path.name, font[1], size))
    if face:
        return str(SHIPPED / face), 0
    shipped = SHIPPED / path.name
    if path.name in SHIPPED_FILES.values() and path != shipped:
        try:
            if size == shipped.stat().st_size:
                return str(shipped), font[1]
        except OSError:
            pass
    return font


def choose(usable: Callable[[str, int], bool]) -> tuple[dict[str, FontFile], list[FontFile]]:
    """The font of each role (the first usable candidate) and the fallback chain for characters a
    role's font lacks: the roles' fonts, then the shipped fallbacks."""
    roles = {}
    for role in ROLES:
        found = next((c for c in candidates(role) if usable(*c)), None)
        if found is None:  # pragma: no cover - the shipped fonts are always there
            raise RuntimeError(f"找不到可用于 PDF 的中文字体（{role}）")
        roles[role] = _shipped_copy(found)
    chain = list(dict.fromkeys(roles.values()))
    for file in FALLBACK_FILES:
        shipped = (str(SHIPPED / file), 0)
        if shipped not in chain and usable(*shipped):
            chain.append(shipped)
    return roles, chain
