"""The window on an office laptop (1366×768), in a process of its own whose offscreen screen has
that size: it fits, the status bar stays on screen, and it opens again as it was left."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from core.store.storage_format import write_new_document
from tests.conftest import ROOT, load_seed


def run_laptop(tmp_path, path, action=""):
    screens = tmp_path / "screen.json"
    screens.write_text(
        json.dumps(
            {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "dpr": 1}]}
        ),
        encoding="utf-8",
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={screens}",
        JXZP_CONFIG_DIR=str(tmp_path / "config"),
        JXZP_DOCUMENTS_DIR=str(tmp_path / "documents"),
        PYTHONIOENCODING="utf-8",
    )
    args = [sys.executable, "-m", "tests.helpers.laptop_window", str(path)] + ([action] if action else [])
    r = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.strip().splitlines()]


def inside(rect, screen):
    x, y, w, h = rect[:4]
    sx, sy, sw, sh = screen
    return sx <= x and sy <= y and x + w <= sx + sw and y + h <= sy + sh


def test_the_window_fits_a_1366_by_768_screen_and_is_remembered(tmp_path):
    path = tmp_path / "报告.jxzp"
    write_new_document(path, load_seed("000"))
    first, left = run_laptop(tmp_path, path, "restore")
    assert first["screen"] == [0, 0, 1366, 768]
    assert first["maximized"]  # 1280×820 and a frame do not fit: the first start fills the screen
    assert inside(first["frame"], first["screen"]) and first["dock"] >= 300
    assert inside(first["status_bar"], first["screen"]), first
    for key in ("score", "grade", "saved"):
        assert first["labels"][key][4] and inside(first["labels"][key], first["screen"]), (key, first)
    (again,) = run_laptop(tmp_path, path)  # un-maximised, moved and resized before it closed
    assert not again["maximized"]
    x, y, width, height = again["geometry"]
    assert (width, height) == (1100, 600) and abs(x - 40) <= 2 and abs(y - 30) <= 2  # offscreen's 2 px frame
    assert again["splitter"] == left["left_splitter"]
