"""Take a screenshot of each tab of the window, as a user sees it on a 1366×768 office laptop.

Run ``.venv/bin/python docs/screenshots.py``: Qt's offscreen platform is given one 1366×768 screen,
and the window opens on it as on a first start (maximised). The pictures go to docs/ and are shown
in the README.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


SCREEN = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "dpr": 1}


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="jxzp-shots-"))
    screens = scratch / "screen.json"
    screens.write_text(json.dumps({"screens": [SCREEN]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screens}"
    os.environ["JXZP_CONFIG_DIR"] = str(scratch / "config")
    os.environ["JXZP_DOCUMENTS_DIR"] = str(scratch / "documents")
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from core.store.settings import Settings
    from gui.main_window import MainWindow

    window = MainWindow(Settings())
    window.start([])
    # Show a live finding: an amount spent beyond what arrived.
    window.doc.set_text(("funds", "sources", 0, "spent"), "680")
    window.narrative_tab.select(("narrative", 0, "children", 0))  # a section with text
    window.indicator_tab.select(("indicators", 2, "children", 0, "children", 0))
    window.show()
    import time

    deadline = time.monotonic() + 3
    while window.session.file.status != "saved" and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    for _ in range(20):
        app.processEvents()
    names = ["tab-project", "tab-funds", "tab-indicators", "tab-narrative"]
    for i, name in enumerate(names):
        window.tabs.setCurrentIndex(i)
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(ROOT / "docs" / f"{name}.png"))
    window.doc.undo()
    window.close()


if __name__ == "__main__":
    main()
