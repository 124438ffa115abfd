"""The real window on a 1366×768 office laptop screen (Qt's offscreen platform told that size),
for tests/test_window_laptop.py: ``python -m tests.helpers.laptop_window FILE [maximize|restore]``.

Opens FILE the way a start does, shows the window, and prints one JSON line: the screen's free
area, the window's frame and where the status bar and its 总分/等级/已保存 labels end up, in screen
coordinates. ``restore`` un-maximises it and moves it before closing, so that the next start can
be seen to remember it.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from core.store.settings import Settings
from gui.main_window import MainWindow


def _global(widget) -> list[int]:
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def main(path: str, action: str = "") -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(Settings())
    window.start([path])
    window.show()
    window.tabs.setCurrentWidget(window.indicator_tab)
    for _ in range(20):
        app.processEvents()
    screen = window.screen().availableGeometry()
    out = {
        "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
        "frame": [
            window.frameGeometry().x(),
            window.frameGeometry().y(),
            window.frameGeometry().width(),
            window.frameGeometry().height(),
        ],
        "geometry": [window.x(), window.y(), window.width(), window.height()],
        "maximized": window.isMaximized(),
        "status_bar": _global(window.statusBar()),
        "labels": {k: _global(v) + [int(v.isVisible())] for k, v in window._status_labels.items()},
        "splitter": window.indicator_tab.split.sizes(),
        "dock": window.dock.width(),
    }
    print(json.dumps(out), flush=True)
    if action == "restore":
        window.showNormal()
        window.setGeometry(QRect(40, 30, 1100, 600))
        window.tabs.setCurrentWidget(window.indicator_tab)
        window.indicator_tab.split.setSizes([300, 200])
        for _ in range(20):
            app.processEvents()
        print(json.dumps({"left_splitter": window.indicator_tab.split.sizes()}), flush=True)
    window.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
