"""The list of what an Excel import could not place (sheet, cell and text), shown after the
imported report opens, so nothing on the paper is dropped without the user seeing it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout


class UnplacedDialog(QDialog):
    def __init__(self, source_name: str, unplaced: list[str], parent=None):
        super().__init__(parent)
        self.setObjectName("unplaced_dialog")
        self.setWindowTitle("导入 Excel 自评表：未能放入报告的内容")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"已导入 {source_name}。以下 {len(unplaced)} 个单元格的内容未能放入报告，请核对后手工补入（可复制）："
            )
        )
        self.text = QPlainTextEdit("\n".join(unplaced))
        self.text.setObjectName("unplaced_list")
        self.text.setReadOnly(True)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 360)
