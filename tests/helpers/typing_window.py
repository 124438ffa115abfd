"""The real window, offscreen, typing into a one-line field and then waiting to be killed.

Used by the durability test: ``python -m tests.helpers.typing_window FILE FIELD TEXT``. Types
TEXT into the 项目信息 field FIELD as a user would (key by key, without leaving the field), waits
for the status bar to say 已保存, prints ``TYPED <status>`` and then idles until SIGKILL arrives.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from core.store.settings import Settings
from gui.main_window import MainWindow


def main(path: str, field: str, text: str) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(Settings())
    assert window.open_path(Path(path))
    window.show()
    edit = window.findChild(QLineEdit, f"project.{field}")
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)  # ASCII keys; the field is never left
    label = window._status_labels["saved"]

    def report() -> None:
        if label.text() != "已保存":
            QTimer.singleShot(50, report)
            return
        print(f"TYPED {label.text()} focus={int(edit.hasFocus())}", flush=True)

    QTimer.singleShot(50, report)
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:4])
