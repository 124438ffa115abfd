"""File dialogs that speak Chinese and start where the user last was.

Qt's own dialog is used unless the system's is known to be in Chinese (Windows or macOS with a
Chinese interface): elsewhere the system's dialog follows the desktop's language. Qt's own dialog
is translated by qtbase_zh_CN, which gui/app.py loads, except for two labels whose English text
changed in Qt 6 (“&Look in:”, “Files of &type:”) while the shipped translation still has the old
ones: those two, and the buttons, are set here. Each kind of dialog remembers its folder in
Settings: "open" (打开, 导入), "save" (新建, 另存为) and "export" (导出 Excel/PDF/JSON), so an
export goes where the last one went.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFileDialog

from core.store.settings import documents_dir

LABELS = {
    QFileDialog.DialogLabel.LookIn: "查找范围(&L)：",
    QFileDialog.DialogLabel.FileName: "文件名(&N)：",
    QFileDialog.DialogLabel.FileType: "文件类型(&T)：",
    QFileDialog.DialogLabel.Reject: "取消",
}


def native_speaks_chinese() -> bool:
    if sys.platform not in ("win32", "darwin"):
        return False
    languages = QLocale.system().uiLanguages()
    return bool(languages) and languages[0].lower().startswith("zh")


def _dialog(parent, title: str, start: Path, filters: str, saving: bool) -> QFileDialog:
    dialog = QFileDialog(parent, title, str(start), filters)
    dialog.setObjectName("file_dialog")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, not native_speaks_chinese())
    if saving:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    for label, text in LABELS.items():
        dialog.setLabelText(label, text)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "保存(&S)" if saving else "打开(&O)")
    return dialog


def _folder(settings, kind: str) -> Path:
    folder = settings.last_folder(kind) or documents_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _chosen(dialog: QFileDialog, settings, kind: str) -> Path | None:
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    settings.set_last_folder(kind, path.parent)
    return path


def ask_open(parent, settings, kind: str, title: str, filters: str) -> Path | None:
    return _chosen(_dialog(parent, title, _folder(settings, kind), filters, saving=False), settings, kind)


def ask_open_many(parent, settings, kind: str, title: str, filters: str) -> list[Path]:
    """Several files at once (the reports of a 汇总表)."""
    dialog = _dialog(parent, title, _folder(settings, kind), filters, saving=False)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return []
    paths = [Path(name) for name in dialog.selectedFiles()]
    settings.set_last_folder(kind, paths[0].parent)
    return paths


def ask_folder(parent, settings, kind: str, title: str) -> Path | None:
    """A folder (all the reports in it)."""
    dialog = _dialog(parent, title, _folder(settings, kind), "", saving=False)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    settings.set_last_folder(kind, path)
    return path


def ask_save(parent, settings, kind: str, title: str, name: str, filters: str) -> Path | None:
    """Where to write a file suggested as ``name``, in the folder this kind was last written to."""
    dialog = _dialog(parent, title, _folder(settings, kind), filters, saving=True)
    dialog.selectFile(name)
    return _chosen(dialog, settings, kind)
