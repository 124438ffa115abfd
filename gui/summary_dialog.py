"""文件 → 汇总…: pick the reports (files or a folder) and where the 汇总表 goes. The work itself is
core/export/summary_xlsx.py, run off the GUI thread by gui/file_actions.py."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from core.store.settings import documents_dir
from core.store.storage_format import SUFFIX
from gui.file_dialogs import ask_folder, ask_open_many, ask_save

REPORT_FILTER = f"报告 (*{SUFFIX} *.json);;所有文件 (*)"


class SummaryDialog(QDialog):
    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("汇总多份报告")
        self.setObjectName("summary_dialog")
        self.settings = settings  # the folders the dialogs start in, remembered per kind
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("要汇总的报告（文件，或文件夹：其中的 .jxzp 和 .json 文件）："))
        self.list = QListWidget()
        self.list.setObjectName("summary.list")
        layout.addWidget(self.list)
        buttons = QHBoxLayout()
        for text, name, slot in (
            ("添加文件…", "summary.add_files", self.add_files),
            ("添加文件夹…", "summary.add_folder", self.add_folder),
            ("移除所选", "summary.remove", self.remove_selected),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        layout.addLayout(buttons)
        out_row = QHBoxLayout()
        out_row.addWidget(QLabel("汇总表保存为："))
        self.out = QLineEdit(str(documents_dir() / "汇总表.xlsx"))
        self.out.setObjectName("summary.out")
        out_row.addWidget(self.out)
        browse = QPushButton("浏览…")
        browse.setObjectName("summary.browse")
        browse.clicked.connect(self.choose_output)
        out_row.addWidget(browse)
        layout.addLayout(out_row)
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.box.button(QDialogButtonBox.StandardButton.Ok).setText("生成汇总表")
        self.box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)
        self.list.model().rowsInserted.connect(self._enable)
        self.list.model().rowsRemoved.connect(self._enable)
        self.out.textChanged.connect(self._enable)
        self._enable()
        self.resize(640, 420)

    def _enable(self, *_args) -> None:
        ready = self.list.count() > 0 and bool(self.out.text().strip())
        self.box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def _add(self, path: str) -> None:
        if path not in self.paths():
            self.list.addItem(path)

    def add_files(self) -> None:
        for path in ask_open_many(self, self.settings, "open", "选择报告", REPORT_FILTER):
            self._add(str(path))

    def add_folder(self) -> None:
        folder = ask_folder(self, self.settings, "open", "选择报告所在的文件夹")
        if folder is not None:
            self._add(str(folder))

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def choose_output(self) -> None:
        path = ask_save(
            self, self.settings, "export", "汇总表保存为", Path(self.out.text()).name, "Excel 工作簿 (*.xlsx)"
        )
        if path is not None:
            name = str(path)
            self.out.setText(name if name.lower().endswith(".xlsx") else name + ".xlsx")

    def paths(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def output(self) -> Path:
        return Path(self.out.text().strip())
