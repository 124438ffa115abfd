"""The 文件 menu's work: new, open, save as, versions, import (JSON, an Excel 自评表) and export,
print. A mixin of the main window, which provides the session, the settings and the status bar."""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from core.document import InputError
from core.model.model import FORMS
from core.model.templates import new_report
from core.store.fileutil import OutputError, write_text_atomic
from core.store.jsonio import dumps
from core.store.loading import load_report
from core.store.storage_format import SUFFIX, LoadError, SaveError, StorageError
from gui.dialogs import NewReportDialog, VersionsDialog
from gui.file_dialogs import ask_open, ask_save
from gui.operations import run_in_background

FILTER = f"绩效自评文档 (*{SUFFIX})"


class FileActions:
    def _ask_save_path(self, suggested: str, title: str) -> Path | None:
        path = ask_save(self, self.settings, "save", title, suggested, FILTER)
        if path is None:
            return None
        return path if path.suffix.lower() == SUFFIX else path.with_suffix(SUFFIX)

    def new_document(self) -> None:
        dialog = NewReportDialog(self)
        if dialog.exec() != NewReportDialog.DialogCode.Accepted:
            return
        target = self._ask_save_path("新建报告.jxzp", "新建报告")
        if target is not None:
            self._create(target, new_report(dialog.template()))

    def new_next_year(self) -> None:
        """文件 → 以此为基础新建下一年度: a new document with this one's plan and last year's result
        kept for reference (core/rules/next_year.py); the window then edits the new one."""
        if self.session is None:
            return
        from core.rules.next_year import next_year

        self.commit_typing()
        report = next_year(self.doc.report)
        year = f"{report.project.year}年度" if report.project.year else "下一年度"
        target = self._ask_save_path(f"{self.session.file.path.stem}-{year}{SUFFIX}", "新建下一年度的报告")
        if target is not None:
            self._create(target, report)

    def open_dialog(self) -> None:
        path = ask_open(self, self.settings, "open", "打开", f"{FILTER};;报告 JSON (*.json);;所有文件 (*)")
        if path is not None:
            self.open_path(path)

    def save_as(self) -> None:
        if self.session is None:
            return
        target = self._ask_save_path(self.session.file.path.name, "另存为")
        if target is None:
            return
        self.commit_typing()
        try:
            self.session.file.save_copy(target)
        except (OutputError, SaveError) as exc:
            QMessageBox.warning(self, "无法另存为", str(exc))
            return
        self.open_path(target)

    def show_versions(self) -> None:
        if self.session:
            self.commit_typing()
            VersionsDialog(self.session.file, self).exec()

    def import_json(self) -> None:
        name = ask_open(self, self.settings, "open", "导入 JSON", "报告 JSON (*.json)")
        if not name or self.session is None:
            return
        try:
            report = load_report(Path(name))
            self.session.file.snapshot("import")
            self.doc.replace_report(report, f"导入 {Path(name).name}")
        except (LoadError, StorageError, InputError) as exc:
            QMessageBox.warning(self, "无法导入", str(exc))

    def import_xlsx(self) -> None:
        """文件 → 导入 Excel 自评表…: the workbook read into a new document, the way 打开 a report
        JSON makes one; then what could not be placed is listed."""
        path = ask_open(self, self.settings, "open", "导入 Excel 自评表", "Excel 工作簿 (*.xlsx);;所有文件 (*)")
        if path is not None:
            self.import_xlsx_path(path)

    def import_xlsx_path(self, path: Path) -> None:
        """Read the workbook off the GUI thread (a large one takes a few seconds), then ask where
        the new document goes; a workbook that cannot be read is refused with its reason."""
        from core.store.xlsx_import import import_workbook

        path = Path(path)
        run_in_background(
            self,
            f"正在读取 {path.name}…",
            lambda: import_workbook(path),
            lambda imported: self._xlsx_imported(path, imported),
            lambda exc: QMessageBox.warning(
                self, "无法导入", str(exc) if isinstance(exc, LoadError) else f"无法导入 {path.name}：{exc}"
            ),
        )

    def _xlsx_imported(self, path: Path, imported) -> None:
        if self.closing:  # closed while reading: nothing was made yet, the workbook is untouched
            return
        target = self._ask_save_path(path.with_suffix(SUFFIX).name, "将导入的报告保存为文档")
        if target is None or not self._create(target, imported.report):
            return
        if imported.unplaced:
            from gui.import_dialog import UnplacedDialog

            self.unplaced_dialog = UnplacedDialog(path.name, imported.unplaced, self)
            self.unplaced_dialog.open()
        else:
            self.statusBar().showMessage(f"已导入 {path.name}", 8000)

    def export_json(self) -> None:
        if self.session is None:
            return
        suggested = f"{self.session.file.path.stem}.json"
        name = ask_save(self, self.settings, "export", "导出 JSON", suggested, "报告 JSON (*.json)")
        if not name:
            return
        try:
            write_text_atomic(name, dumps(self.doc.report))
        except OutputError as exc:
            QMessageBox.warning(self, "无法导出", str(exc))
            return
        self.statusBar().showMessage(f"已导出 {name}", 5000)

    def _export(self, kind: str, suffix: str, label: str, write) -> None:
        """Ask where, keep a version, then write a copy of the report off the GUI thread."""
        if self.session is None:
            return
        suggested = f"{self.session.file.path.stem}{suffix}"
        name = ask_save(self, self.settings, "export", f"导出 {kind}", suggested, f"{kind} (*{Path(suffix).suffix})")
        if not name:
            return
        self.export_to(name, label, write)

    def export_to(self, target: Path, label: str, write) -> None:
        self.commit_typing()
        try:
            self.session.file.snapshot("export")
        except StorageError:
            pass  # a full disk is already shown in the banner; the export may still succeed
        report = copy.deepcopy(self.doc.report)
        run_in_background(
            self,
            label,
            lambda: write(report, target),
            lambda warnings: self._exported(target, warnings or []),
            lambda exc: self._export_failed(target, exc),
        )

    def _exported(self, target: Path, warnings: list[str]) -> None:
        self.last_export = target
        self.statusBar().showMessage(f"已导出 {target}", 8000)
        if self.closing:  # the window closes now; the file is there
            return
        box = QMessageBox(self)
        box.setWindowTitle("导出完成")
        box.setText(f"已导出到：\n{target}")
        if warnings:
            box.setInformativeText("\n".join(warnings))
        folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent))))
        box.open()

    def _export_failed(self, target: Path, exc: Exception) -> None:
        self.last_export = None
        message = str(exc) if isinstance(exc, OutputError) else f"无法导出 {target}：{exc}"
        QMessageBox.warning(self, "导出失败", message)

    def export_xlsx(self) -> None:
        from core.export.forms.workbook import export_form_xlsx

        self._export("Excel", "-自评表.xlsx", "正在导出 Excel…", export_form_xlsx)

    def show_default_form(self) -> None:
        """The 导出 PDF action names the form the report prints by default."""
        form = self.doc.report.form if self.session is not None else ""
        self.export_pdf_action.setText(f"导出 PDF（{FORMS[form]}）…" if form in FORMS else "导出 PDF…")

    def fill_forms_menu(self) -> None:
        """文件 → 按表式导出 PDF: one entry per form, the report's own marked, and all of them in one file."""
        menu = self.forms_menu
        menu.clear()
        default = self.doc.report.form if self.session is not None else ""
        for name, title in FORMS.items():
            mark = "（本报告默认）" if name == default else ""
            action = menu.addAction(f"{title}{mark}…", lambda n=name: self.export_forms_pdf([n]))
            action.setObjectName(f"form_{name}")
            action.setEnabled(self.session is not None)
        menu.addSeparator()
        every = menu.addAction("全部表式合为一份 PDF…", lambda: self.export_forms_pdf(list(FORMS)))
        every.setObjectName("form_all")
        every.setEnabled(self.session is not None)

    def export_forms_pdf(self, names: list[str]) -> None:
        from core.export.pdf import export_pdf

        if self.session is None or not self.printable():
            return
        title = FORMS[names[0]] if len(names) == 1 else "全部表式"
        self._export(
            "PDF", f"-{title}.pdf", "正在生成 PDF…", lambda report, target: export_pdf(report, target, forms=names)
        )

    def summarize_reports(self) -> None:
        """文件 → 汇总…: pick reports (files or folders) and where the 汇总表 goes, then build it
        off the GUI thread. Needs no open document."""
        from gui.summary_dialog import SummaryDialog

        self.summary_dialog = SummaryDialog(self.settings, self)
        self.summary_dialog.accepted.connect(
            lambda: self.summary_to(self.summary_dialog.paths(), self.summary_dialog.output())
        )
        self.summary_dialog.open()

    def summary_to(self, items: list[str], target: Path) -> None:
        from core.export.summary_xlsx import export_summary, summarize

        def work() -> list[str]:
            agg = summarize(items)
            if not agg.rows:
                raise ValueError("所选的文件中没有可读取的报告：\n" + "\n".join(x.reason for x in agg.unreadable))
            warnings = export_summary(agg, target)
            if agg.unreadable:  # never silently skipped: said here and listed on the 无法读取 sheet
                warnings.insert(
                    0, f"共 {len(agg.rows)} 份报告；{len(agg.unreadable)} 个文件无法读取，已列在“无法读取”表中："
                )
                warnings[1:1] = [f"· {x.reason}" for x in agg.unreadable[:6]]
            return warnings

        run_in_background(
            self,
            "正在生成汇总表…",
            work,
            lambda warnings: self._exported(target, warnings),
            lambda exc: self._export_failed(target, exc),
        )

    def printable(self) -> bool:
        """Check T01 before a PDF is made: name the text no font can print, and let the user
        decide whether to go on."""
        from core.export.glyphs import check_glyphs

        findings = check_glyphs(self.doc.report)
        if not findings:
            return True
        shown = "\n".join(f"· {f.message}" for f in findings[:6])
        more = f"\n…… 共 {len(findings)} 处" if len(findings) > 6 else ""
        answer = QMessageBox.question(self, "有无法打印的字", f"{shown}{more}\n\n仍要生成 PDF 吗？")
        return answer == QMessageBox.StandardButton.Yes

    def export_pdf(self) -> None:
        from core.export.pdf import export_pdf

        if self.session is not None and self.printable():
            self._export("PDF", "-自评报告.pdf", "正在生成 PDF…", export_pdf)

    def export_docx(self) -> None:
        """文件 → 导出 Word…: the narrative report as an editable .docx, off the GUI thread."""
        from core.export.docx import export_docx

        self._export("Word", "-自评报告.docx", "正在导出 Word…", export_docx)

    def _with_pdf(self, then) -> None:
        """Build the PDF off the GUI thread, then hand its bytes to ``then``."""
        if self.session is None:
            return
        self.commit_typing()
        if not self.printable():
            return
        from core.export.pdf import build_pdf

        report = copy.deepcopy(self.doc.report)
        run_in_background(
            self,
            "正在生成 PDF…",
            lambda: build_pdf(report),
            then,
            lambda exc: QMessageBox.warning(self, "无法生成 PDF", str(exc)),
        )

    def print_preview(self) -> None:
        from gui.preview import PreviewDialog

        def show(data):
            self.preview = PreviewDialog(data, self.session.file.path.stem, self)
            self.preview.open()

        self._with_pdf(show)

    def print_report(self) -> None:
        from gui.preview import print_with_dialog

        def start(data):
            self.print_job = print_with_dialog(self, data)

        self._with_pdf(start)
