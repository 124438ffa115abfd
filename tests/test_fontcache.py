"""The fonts' parsed tables kept between runs (core/export/fontcache.py): a later process reads them
instead of parsing the fonts, and its PDF is the same to the byte; a damaged, foreign or unwritable
cache only costs the parse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from core.export import fontcache
from core.export.fontfiles import SHIPPED
from tests.conftest import ROOT, SEEDS

# A new process makes the PDF of seed 000 with reportlab's invariant mode (no date, no random
# document id), so that two PDFs are equal byte for byte when their content and fonts are.
PROBE = """
import hashlib, json, sys
from pathlib import Path
from reportlab import rl_config
rl_config.invariant = 1
from core.export import fontcache
from core.export.pdf import build_pdf
from core.store.loading import load_report
data = build_pdf(load_report(Path(sys.argv[1])))
print(json.dumps({"sha": hashlib.sha256(data).hexdigest(), "log": sorted({how for _, how in fontcache.LOG})}))
"""


def _make_pdf(cache) -> dict:
    env = dict(os.environ, JXZP_CACHE_DIR=str(cache))
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(SEEDS["000"])], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    "file,index",
    [("FandolFang-Regular.ttf", 0), ("wqy-zenhei.ttf", 0), ("gkai00mp.ttf", 0), ("gbsn00lp.ttf", 0)],
)
def test_a_font_from_the_cache_is_the_font_reportlab_parses(tmp_path, monkeypatch, file, index):
    monkeypatch.setenv("JXZP_CACHE_DIR", str(tmp_path))
    path = str(SHIPPED / file)
    fontcache.LOG.clear()
    fontcache.load_ttfont("jxzp-test", path, index)  # parsed, and written to the cache
    cached = fontcache.load_ttfont("jxzp-test", path, index)
    assert [how for _, how in fontcache.LOG] == ["parsed", "cached"]
    parsed = TTFont("jxzp-test", path, subfontIndex=index)

    ours, theirs = dict(vars(cached.face)), dict(vars(parsed.face))
    ours_scale, theirs_scale = ours.pop("_pdfScale"), theirs.pop("_pdfScale")
    assert ours == theirs
    assert {k: type(v) for k, v in ours.items()} == {k: type(v) for k, v in theirs.items()}
    assert cached.face.name.ustr == parsed.face.name.ustr
    assert [ours_scale(x) for x in (0, 1, 880, -120)] == [theirs_scale(x) for x in (0, 1, 880, -120)]
    ours, theirs = dict(vars(cached)), dict(vars(parsed))
    for attr in ("face", "state", "encoding"):  # the face is compared above; the others are fresh objects
        assert type(ours.pop(attr)) is type(theirs.pop(attr))
    assert ours == theirs


def test_the_next_process_reads_the_cache_and_makes_the_same_pdf(tmp_path):
    cache = tmp_path / "cache"
    first = _make_pdf(cache)
    assert first["log"] == ["parsed"]
    files = sorted((cache / "fonts").iterdir())
    assert files  # one file per font the PDF uses
    second = _make_pdf(cache)
    assert second == {"sha": first["sha"], "log": ["cached"]}

    # damaged in four ways: cut short, one byte changed in the middle, something else entirely,
    # and another font's entry under this font's name
    assert len(files) == 4  # 仿宋, 黑体 (also the title and the first fallback), 楷体, 宋体
    other = files[0].read_bytes()
    files[0].write_bytes(other[: len(other) // 2])
    blob = bytearray(files[1].read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    files[1].write_bytes(bytes(blob))
    files[2].write_bytes(b"not a cache file")
    files[3].write_bytes(other)
    damaged = _make_pdf(cache)
    assert damaged["sha"] == first["sha"]
    assert "parsed" in damaged["log"]
    assert _make_pdf(cache) == {"sha": first["sha"], "log": ["cached"]}  # written anew


def test_a_cache_folder_that_cannot_be_written_still_gives_the_pdf(tmp_path):
    reference = _make_pdf(tmp_path / "fresh")
    blocked = tmp_path / "a-file"
    blocked.write_text("the cache folder's place is taken by a file")
    result = _make_pdf(blocked / "cache")  # mkdir fails, whoever runs the test
    assert result == {"sha": reference["sha"], "log": ["parsed"]}
    if sys.platform != "win32" and os.geteuid() != 0:  # root writes into read-only folders anyway
        readonly = tmp_path / "readonly"
        readonly.mkdir(mode=0o500)
        assert _make_pdf(readonly) == {"sha": reference["sha"], "log": ["parsed"]}
        assert list(readonly.iterdir()) == []


def test_the_windows_warm_up_leaves_the_first_pdf_nothing_to_load(tmp_path):
    """gui/app.py starts a thread after the window shows: the PDF's modules, its fonts (from the
    cache) and check T01's table are ready before the first 导出 PDF asks for them."""
    probe = """
import sys, threading
import gui.app
assert "core.export.pdf" not in sys.modules
gui.app._warm_up_pdf()
for t in threading.enumerate():
    if t.name == "jxzp-font-warm-up":
        t.join()
from core.export import coverage, fonts
ready = fonts._load_fonts.cache_info().currsize, coverage.printable.cache_info().currsize
print("core.export.pdf" in sys.modules, *ready)
"""
    env = dict(os.environ, JXZP_CACHE_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "1", "1"]


def test_entries_left_by_fonts_that_moved_are_removed_once_unused_for_long(tmp_path):
    cache = tmp_path / "cache"
    _make_pdf(cache)
    folder = cache / "fonts"
    used = sorted(folder.iterdir())
    long_ago = time.time() - (fontcache.UNUSED_DAYS + 1) * 86400
    for entry in used:  # in use, but last read long ago: reading marks them used again
        os.utime(entry, (long_ago, long_ago))
    moved = folder / f"{'0' * 20}{fontcache.SUFFIX}"  # a font that was elsewhere, unused since
    moved.write_bytes(used[0].read_bytes())
    os.utime(moved, (long_ago, long_ago))
    recent = folder / f"{'1' * 20}{fontcache.SUFFIX}"  # another font, read last month
    recent.write_bytes(b"x")
    month = time.time() - 30 * 86400
    os.utime(recent, (month, month))
    other = folder / "notes.txt"  # not ours: never touched
    other.write_text("x")
    os.utime(other, (long_ago, long_ago))

    assert _make_pdf(cache)["log"] == ["cached"]
    assert all(entry.stat().st_mtime > long_ago + 86400 for entry in used)
    assert moved.exists()  # nothing was written: nothing removed yet

    used[0].write_bytes(b"damaged")  # parsed again and written: now the unused are removed
    assert "parsed" in _make_pdf(cache)["log"]
    assert not moved.exists()
    assert recent.exists() and other.exists()
    assert all(entry.exists() for entry in used)
