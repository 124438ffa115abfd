"""Small dialogs: new report, versions (历史版本), unexpected errors, help and about."""

from __future__ import annotations

import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from core.model.model import TEMPLATES
from core.model.templates import description
from core.store.storage import DocumentFile
from core.store.storage_format import StorageError
from core.store.versions import REASONS


class NewReportDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新建报告")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("请选择评分表模板（之后可以随意修改指标）："))
        self.group = QButtonGroup(self)
        for i, (code, name) in enumerate(TEMPLATES.items()):
            button = QRadioButton(f"{name}　—　{description(code)}")
            button.setProperty("template", code)
            button.setChecked(i == 0)
            self.group.addButton(button)
            layout.addWidget(button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def template(self) -> str:
        return self.group.checkedButton().property("template")


class VersionsDialog(QDialog):
    """List the versions with time, name and totals; save a named one; restore one."""

    def __init__(self, file: DocumentFile, parent=None):
        super().__init__(parent)
        self.file = file
        self.setWindowTitle("历史版本")
        self.resize(720, 420)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("versions")
        self.table.setHorizontalHeaderLabels(["时间", "名称", "总分", "评价等级", "执行率"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._preview)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        save = QPushButton("保存当前版本…")
        save.clicked.connect(self.save_named)
        self.restore_button = QPushButton("恢复所选版本")
        self.restore_button.clicked.connect(self.restore)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(save)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("打开文档、导出之前会自动保存版本；恢复某个版本后仍可“撤销”，恢复前的状态也会保存为一个版本。")
        )
        layout.addWidget(self.table)
        layout.addWidget(self.detail)
        layout.addLayout(row)
        self.load()

    def load(self) -> None:
        self.versions = self.file.versions()
        self.table.setRowCount(len(self.versions))
        for r, v in enumerate(self.versions):
            s = v.summary
            rate = (s.get("funds") or {}).get("execution_rate")
            cells = [
                v.created.strftime("%Y-%m-%d %H:%M"),
                v.name or f"（自动）{REASONS.get(v.reason, v.reason)}",
                s.get("score") or "—",
                s.get("grade") or "—",
                f"{rate}%" if rate else "无",
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.restore_button.setEnabled(bool(self.versions) and not self.file.read_only)

    def selected(self):
        rows = {i.row() for i in self.table.selectedItems()}
        return self.versions[min(rows)] if rows else None

    def _preview(self) -> None:
        v = self.selected()
        if v is None:
            self.detail.setText("")
            return
        f = v.summary.get("funds") or {}
        level1 = "；".join(f"{x['name']} {x.get('score') or '—'}/{x['weight']}" for x in v.summary.get("level1", []))
        self.detail.setText(
            f"全年预算数 {f.get('adjusted') or '—'}，实际支出数 {f.get('spent') or '—'}，"  # null: not given
            f"结余 {f.get('remaining') or '—'}。{level1}"
        )

    def save_named(self) -> None:
        name, ok = QInputDialog.getText(self, "保存版本", "版本名称（如“报送财政局前”）：")
        if ok and name.strip():
            try:
                self.file.snapshot("user", name.strip())
            except StorageError as exc:
                QMessageBox.warning(self, "无法保存版本", str(exc))
            self.load()

    def restore(self) -> None:
        v = self.selected()
        if v is None:
            return
        answer = QMessageBox.question(
            self,
            "恢复历史版本",
            f"用 {v.created:%Y-%m-%d %H:%M}“{v.label}”替换当前内容？\n当前内容会先保存为一个版本，也可以撤销。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.file.restore(v.id)
            self.load()


def show_error(parent, exc_type, exc, tb) -> None:
    """An unexpected problem: a friendly message, the details to copy, and the work kept."""
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("程序遇到问题")
    box.setText("程序遇到了一个意外问题，刚才的操作可能没有完成。\n已填写的内容已自动保存，可以继续工作。")
    box.setInformativeText("如果问题反复出现，请点击“显示详细信息”，复制其中的内容发给技术支持。")
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()


HELP_TEXT = """<h3>绩效自评助手 使用说明</h3>
<p><b>自动保存</b>：每一处修改都会在一秒内自动存入文档文件（.jxzp），无需“保存”。状态栏显示“已保存”或“正在保存”。</p>
<p><b>四个页签</b>：项目信息 · 项目资金 · 绩效指标 · 报告正文。合计、执行率、到位率、结余、总分和评价等级都由程序自动计算。</p>
<p><b>检查结果</b>：右侧列出所有错误（红色）和警告（黄色），双击可跳到对应的单元格；有问题的单元格也会标色，鼠标悬停可看原因。</p>
<p><b>像表格一样操作</b>：回车下移，Tab 右移，直接输入即替换，F2 编辑，Delete 清除，Ctrl+C / Ctrl+V 可与 Excel、WPS 互相复制粘贴多行。
金额可以写成 1,234.50、１２３．４５、600万元 等形式。</p>
<p><b>报告正文</b>中引用数字时请用“插入占位符”（如 {执行率}、{总得分}），打印时自动替换为报表中的数字，避免抄错。</p>
<p><b>历史版本</b>：文件菜单 → 历史版本，可保存命名版本（如“报送财政局前”）并随时恢复。</p>"""


def show_help(parent) -> None:
    dialog = QDialog(parent)
    dialog.setWindowTitle("使用说明")
    dialog.resize(640, 480)
    browser = QTextBrowser()
    browser.setHtml(HELP_TEXT)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.open()
