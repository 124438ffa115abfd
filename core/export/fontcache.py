"""reportlab's parse of a TrueType font, kept between runs in the user's cache folder.

reportlab reads a font's tables (names, metrics, the character map, the glyph widths) in pure
Python: about 0.2 s of CPU for the four shipped fonts, paid by every process that makes a PDF.
What it learns is plain data (numbers, strings, dicts and lists of them), so it is stored after
the first parse and read back by later processes in about a sixth of the time. The font file
itself is still read (its bytes are what the PDF embeds, subset as before).

The cache is one file per font, ``marshal`` of plain data (a dict of the face's attributes),
named after the font's path and index; inside, the key (path, index, size, modification time,
reportlab's version, this module's format) and a CRC of the payload. ``marshal`` rather than JSON:
JSON needs its integer keys rebuilt and loads the shipped fonts' tables in 134 ms against 36 ms,
little better than parsing (207 ms). ``marshal`` builds only plain values, never instances of
classes, and nothing read here is executed; pickle is not used. A file that is missing, damaged,
from another font, another reportlab or another format is ignored and written anew; a cache
folder that cannot be written only means the font is parsed again next time.

Entries are named after the font's path, so a font that moved (the program installed elsewhere, a
font of the PC removed) leaves its old entry behind, 0.4–2.4 MB each. An entry read is marked as
used (its modification time set to now); whenever an entry is written, entries not used for
:data:`UNUSED_DAYS` days are removed.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import time
import zlib
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace, unShapedFontGlob

from core.store.fileutil import OutputError, write_atomic
from core.store.settings import cache_dir

FORMAT = "jxzp-ttf-1"
#: The face's attributes that are not stored: the file's bytes (read from the font file) and the
#: scaling function (rebuilt from unitsPerEm exactly as reportlab builds it).
_NOT_STORED = ("_ttf_data", "_pdfScale")
_PLAIN = (int, float, str, bytes, bool, type(None), list, tuple, dict)  # exactly these types
#: Entries not read for this long are removed when another entry is written.
UNUSED_DAYS = 60
SUFFIX = ".ttf-tables"
#: What this process did, per font: "parsed" or "cached" (tests and the benchmark read it).
LOG: list[tuple[str, str]] = []


def cache_file(path: str, index: int) -> Path:
    digest = hashlib.sha1(f"{os.path.abspath(path)}|{index}".encode(), usedforsecurity=False).hexdigest()[:20]
    return cache_dir() / "fonts" / f"{digest}{SUFFIX}"


def _key(path: str, index: int, st: os.stat_result) -> tuple:
    return (FORMAT, REPORTLAB_VERSION, os.path.abspath(path), index, st.st_size, st.st_mtime_ns)


def load_ttfont(name: str, path: str, index: int = 0) -> TTFont:
    """``TTFont(name, path, subfontIndex=index)``, its tables from the cache when they are there.
    Raises what reportlab raises for a font it cannot use."""
    st = os.stat(path)
    key = _key(path, index, st)
    file = cache_file(path, index)
    stored = _read(file, key)
    if stored is not None:
        try:
            with open(path, "rb") as f:
                data = f.read()
            face = _face(stored, data) if len(data) == st.st_size else None
        except (OSError, TypeError, ValueError, AttributeError):  # a damaged entry: parse instead
            face = None
        if face is not None:
            LOG.append((path, "cached"))
            _mark_used(file)
            return _font(name, face)
    font = TTFont(name, path, subfontIndex=index)
    LOG.append((path, "parsed"))
    _write(file, key, font.face)
    return font


def _read(file: Path, key: tuple) -> dict | None:
    try:
        blob = file.read_bytes()
    except OSError:
        return None
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small ints and lists: no cycles to look for
    try:
        head = marshal.loads(blob)
        if not (isinstance(head, tuple) and len(head) == 3 and head[0] == key and isinstance(head[2], bytes)):
            return None
        if zlib.crc32(head[2]) != head[1]:
            return None
        stored = marshal.loads(head[2])
    except Exception:  # any damage at all means: parse the font again
        return None
    finally:
        if enabled:
            gc.enable()
    if not (
        isinstance(stored, dict)
        and isinstance(stored.get("attrs"), dict)
        and isinstance(stored["attrs"].get("charToGlyph"), dict)
        and isinstance(stored.get("names"), dict)
    ):
        return None
    return stored


def _write(file: Path, key: tuple, face: TTFontFace) -> None:
    attrs, names = {}, {}
    for attr, value in vars(face).items():
        if attr in _NOT_STORED:
            continue
        if type(value) is TTFNameBytes:
            names[attr] = (bytes(value), value.ustr)
        elif type(value) in _PLAIN:
            attrs[attr] = value
        else:
            return  # something this format does not know: keep parsing this font
    try:
        payload = marshal.dumps({"attrs": attrs, "names": names})  # ValueError: not plain inside
        blob = marshal.dumps((key, zlib.crc32(payload), payload))
        file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(file, lambda tmp: tmp.write_bytes(blob))
    except (OSError, OutputError, ValueError):
        return  # a read-only or full cache folder: the font is parsed again next time
    _remove_unused(file.parent)


def _mark_used(file: Path) -> None:
    try:
        os.utime(file)
    except OSError:
        pass  # a read-only cache: it is only removed a little early


def _remove_unused(folder: Path) -> None:
    """Remove the entries nobody read for UNUSED_DAYS days (fonts that moved or are gone)."""
    oldest = time.time() - UNUSED_DAYS * 86400
    try:
        for entry in folder.iterdir():
            if entry.name.endswith(SUFFIX) and entry.stat().st_mtime < oldest:
                entry.unlink()
    except OSError:
        pass  # another process removed it first, or the folder is not ours to change


def _face(stored: dict, data: bytes) -> TTFontFace:
    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(stored["attrs"])
    for attr, (raw, text) in stored["names"].items():
        name = bytes.__new__(TTFNameBytes, raw)
        name.ustr = text
        setattr(face, attr, name)
    face._ttf_data = data
    units = face.unitsPerEm
    if units == 1000:
        face._pdfScale = lambda x: x
    else:
        factor = 1000 / units
        face._pdfScale = lambda x: x * factor
    return face


def _font(name: str, face: TTFontFace) -> TTFont:
    """What ``TTFont.__init__`` makes, with the given face (reportlab 4.x/5.x; the test compares
    the two attribute by attribute)."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
    return font
