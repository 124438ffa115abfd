"""Fonts for the PDF: the 公文 fonts the PC has, else the open fonts shipped with the program.

Roles follow GB/T 9704: 仿宋 for the body, 黑体 for 一、 headings, 楷体 for （一） headings, 宋体 for
tables, 小标宋 (or 黑体) for the title. reportlab embeds TrueType outlines only, so a font with
PostScript (CFF) outlines is skipped. Text is set per character in the first font of the chain
that has the glyph, so a rare character in a name (堃, 喆, 䶮) is still printed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

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
    "fangsong": "gbsn00lp.ttf",  # no open 仿宋 with TrueType outlines exists: 宋体 stands in
    "hei": "wqy-zenhei.ttc",
    "kai": "gkai00mp.ttf",
    "song": "gbsn00lp.ttf",
    "title": "wqy-zenhei.ttc",
}
FALLBACK_FILES = ["wqy-zenhei.ttc", "gbsn00lp.ttf"]


@dataclass(frozen=True)
class FontFace:
    name: str  # the reportlab font name
    path: str
    index: int

    @property
    def cmap(self) -> dict:
        return pdfmetrics.getFont(self.name).face.charToGlyph


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


def _register(path: str, index: int) -> FontFace | None:
    name = f"jxzp-{Path(path).stem}-{index}"
    try:
        pdfmetrics.getFont(name)
        return FontFace(name, path, index)
    except KeyError:
        pass
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    except (TTFError, OSError, ValueError, KeyError, AssertionError):
        return None  # e.g. PostScript outlines, which reportlab cannot embed
    return FontFace(name, path, index)


def _find(role: str) -> FontFace | None:
    for folder in _windows_dirs():
        for file in WINDOWS_FILES[role]:
            if (folder / file).exists():
                face = _register(str(folder / file), 0)
                if face:
                    return face
    installed = _fontconfig()
    for family in FAMILIES[role]:
        for families, path, index in installed:
            if family in families.split(",") and path.lower().endswith((".ttf", ".ttc")):
                face = _register(path, index)
                if face:
                    return face
    return _register(str(SHIPPED / SHIPPED_FILES[role]), 0)


@dataclass
class FontSet:
    roles: dict[str, FontFace]
    chain: list[FontFace]  # fallback order for characters a role's font lacks

    def covered(self) -> set[int]:
        out: set[int] = set()
        for face in self.chain:
            out.update(face.cmap)
        return out

    def markup(self, text: str, role: str) -> str:
        """Escaped Paragraph markup, with characters the role's font lacks set in the first
        font of the chain that has them."""
        primary = self.roles[role]
        cmap = primary.cmap
        out: list[str] = []
        run: list[str] = []
        run_face: FontFace | None = None
        for ch in text:
            face = primary if (ord(ch) in cmap or ch in "\n\t ") else self._fallback(ord(ch), primary)
            if face is not run_face and run:
                out.append(_wrap("".join(run), run_face, primary))
                run = []
            run_face = face
            run.append(ch)
        if run:
            out.append(_wrap("".join(run), run_face, primary))
        return "".join(out)

    def _fallback(self, code: int, primary: FontFace) -> FontFace:
        for face in self.chain:
            if code in face.cmap:
                return face
        return primary  # nobody has it: check T01 has already warned about it


def _wrap(text: str, face: FontFace | None, primary: FontFace) -> str:
    text = escape(text)
    if face is None or face is primary:
        return text
    return f'<font face="{face.name}">{text}</font>'


@lru_cache(maxsize=1)
def load_fonts() -> FontSet:
    roles = {}
    for role in ROLES:
        face = _find(role)
        if face is None:  # pragma: no cover - the shipped fonts are always there
            raise RuntimeError(f"找不到可用于 PDF 的中文字体（{role}）")
        roles[role] = face
    chain = list(dict.fromkeys(roles.values()))
    for file in FALLBACK_FILES:
        face = _register(str(SHIPPED / file), 0)
        if face and face not in chain:
            chain.append(face)
    return FontSet(roles, chain)
