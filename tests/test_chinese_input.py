"""Chinese typed with pinyin reaches the window on a fcitx5 desktop (slow: a real X server,
D-Bus and fcitx5). The desktop sets QT_IM_MODULE=fcitx, as Debian's im-config and UOS do, a
plugin Qt cannot load here; the window starts Qt's ibus plugin instead, which fcitx5 serves
(gui/input_method.py). The bundled window is typed into the same way in tests/test_installer.py."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT
from tests.helpers.fcitx import typed_report

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fcitx is Linux's")]


def test_pinyin_lands_in_a_field_and_a_grid_cell_and_is_saved(tmp_path):
    report = typed_report(
        tmp_path,
        [sys.executable, str(ROOT / "main.py")],
        {"QT_QPA_PLATFORM": "xcb", "QT_IM_MODULE": "fcitx", "XMODIFIERS": "@im=fcitx", "GTK_IM_MODULE": "fcitx"},
    )
    assert report.project.name == "你好"
    assert report.team[0].name == "张三"
    assert report.team[1].name == "娄义皇"  # the rest of the grid as it was
