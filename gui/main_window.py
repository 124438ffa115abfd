"""The main window: four tabs (and 复核 while printed figures are recorded) over one open document,
the 检查结果 dock, menus and status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core import __version__
from core.document import ChangeSet, InputError
from core.model.numbers import fmt2, fmt_rate
from core.rules.summary import rules_status
from core.store.fileutil import OutputError
from core.store.loading import load_report
from core.store.settings import Settings, documents_dir
from core.store.storage import DocumentFile
from core.store.storage_format import SUFFIX, DocumentBusy, LoadError, SaveError, StorageError
from gui import gc_guard, operations
from gui.bindings import typing_hub, typing_pending
from gui.dialogs import show_help
from gui.file_actions import FileActions
from gui.findings_dock import FindingsDock
from gui.fund_tab import FundTab
from gui.indicator_tab import IndicatorTab
from gui.narrative_tab import NarrativeTab
from gui.project_tab import ProjectTab
from gui.review_tab import ReviewTab
from gui.session import Session
from gui.window_layout import WindowLayout

APP_NAME = "绩效自评助手"
STATUS_TEXT = {"saved": "已保存", "saving": "正在保存…", "error": "保存失败"}
#: How long a refused entry or paste stays in the status bar; the next edit clears it sooner.
REFUSAL_MS = 5000
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


#: The commands clerks use most, on the toolbar, with Qt's standard icons.
TOOLBAR = (
    ("new", QStyle.StandardPixmap.SP_FileIcon),
    ("open", QStyle.StandardPixmap.SP_DialogOpenButton),
    ("export_xlsx", QStyle.StandardPixmap.SP_FileDialogDetailedView),
    ("export_pdf", QStyle.StandardPixmap.SP_DialogSaveButton),
    ("print", QStyle.StandardPixmap.SP_FileDialogContentsView),
)


def shortcuts(*keys) -> list[QKeySequence]:
    """Each standard key's bindings on this platform, then the extra ones, without repeats
    (a repeated binding would make Qt call the shortcut ambiguous)."""
    out: list[QKeySequence] = []
    for key in keys:
        for seq in QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]:
            if not seq.isEmpty() and seq not in out:
                out.append(seq)
    return out


class MainWindow(FileActions, WindowLayout, QMainWindow):
    def __init__(self, settings: Settings | None = None):
        super().__init__()
        gc_guard.install()
        self.settings = settings or Settings()
        self.session: Session | None = None
        self.last_export: Path | None = None
        self.closing = False  # closed while a job ran: closes once the jobs have ended
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self._stale: dict[QWidget, ChangeSet] = {}  # what hidden tabs have not shown yet
        self.tabs.currentChanged.connect(self._tab_shown)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#b3261e;color:white;padding:6px;")
        self.banner.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs)
        self.setCentralWidget(central)
        self.dock: FindingsDock | None = None
        self._status_labels = {k: QLabel() for k in ("score", "grade", "rate", "saved")}
        for key in ("score", "grade", "rate", "saved"):
            self._status_labels[key].setObjectName(f"status.{key}")
            self.statusBar().addPermanentWidget(self._status_labels[key])
        self._rules_status = QLabel()  # the rule set in force (issue 17)
        self._rules_status.setObjectName("status.rules")
        self.statusBar().insertPermanentWidget(0, self._rules_status)
        self._file_status = "saved"
        typing_hub().changed.connect(self._typing_changed)
        self._build_menus()
        self._build_toolbar()
        self.place_on_screen()

    # --- menus ---------------------------------------------------------------------------------

    def _action(self, menu, text, slot, shortcut=None, name=None) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("文件(&F)")
        self._action(file, "新建…", self.new_document, QKeySequence.StandardKey.New, "new")
        self._action(file, "以此为基础新建下一年度…", self.new_next_year, None, "next_year")
        self._action(file, "打开…", self.open_dialog, QKeySequence.StandardKey.Open, "open")
        self.recent_menu = file.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file, "另存为…", self.save_as, QKeySequence.StandardKey.SaveAs, "save_as")
        file.addSeparator()
        self._action(file, "历史版本…", self.show_versions, None, "versions")
        file.addSeparator()
        self._action(file, "导入 JSON…", self.import_json, None, "import_json")
        self._action(file, "导入 Excel 自评表…", self.import_xlsx, None, "import_xlsx")
        self._action(file, "导出 JSON…", self.export_json, None, "export_json")
        file.addSeparator()
        self._action(file, "导出 Excel…", self.export_xlsx, QKeySequence("Ctrl+E"), "export_xlsx")
        self.export_pdf_action = self._action(
            file, "导出 PDF…", self.export_pdf, QKeySequence("Ctrl+Shift+E"), "export_pdf"
        )
        self.forms_menu = file.addMenu("按表式导出 PDF")  # the printed forms (#22), the default marked
        self.forms_menu.aboutToShow.connect(self.fill_forms_menu)
        file.aboutToShow.connect(self.show_default_form)
        self._action(file, "导出 Word…", self.export_docx, None, "export_docx")
        self._action(file, "打印预览…", self.print_preview, None, "print_preview")
        self._action(file, "打印…", self.print_report, QKeySequence.StandardKey.Print, "print")
        self._action(file, "汇总…", self.summarize_reports, None, "summary")
        file.addSeparator()
        self._action(file, "退出", self.close, QKeySequence.StandardKey.Quit, "quit")
        edit = bar.addMenu("编辑(&E)")
        self.undo_action = self._action(edit, "撤销", self.undo, QKeySequence.StandardKey.Undo, "undo")
        # Ctrl+Y as in Excel and WPS, beside the platform's own (Ctrl+Shift+Z).
        self.redo_action = self._action(
            edit, "重做", self.redo, shortcuts(QKeySequence.StandardKey.Redo, "Ctrl+Y"), "redo"
        )
        self._action(edit, "生成初稿…", lambda: self.doc and self.narrative_tab.generate_draft(), None, "draft")
        review = bar.addMenu("复核(&R)")
        self.review_start_action = self._action(review, "记录表上数字", self.start_review, None, "review_start")
        self.review_stop_action = self._action(review, "停止复核（删除表上数字）", self.stop_review, name="review_stop")
        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "使用说明", lambda: show_help(self), QKeySequence.StandardKey.HelpContents, "help")
        self._action(help_menu, "关于", self.about, None, "about")

    def _build_toolbar(self) -> None:
        bar = QToolBar("常用")
        bar.setObjectName("toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name, pixmap in TOOLBAR:
            action = self.findChild(QAction, name)
            action.setIcon(self.style().standardIcon(pixmap))
            action.setIconText(action.text().rstrip("…"))
            bar.addAction(action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar

    def layout_splitters(self) -> dict:
        if self.session is None:
            return {}
        return {
            "funds": self.fund_tab.split,
            "indicators": self.indicator_tab.split,
            "narrative": self.narrative_tab.split,
        }

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent:
            self.recent_menu.addAction(path, lambda p=path: self.open_path(Path(p)))
        if not self.settings.recent:
            self.recent_menu.addAction("（无）").setEnabled(False)

    # --- the open document -----------------------------------------------------------------------

    @property
    def doc(self):
        return self.session.document if self.session else None

    def open_path(self, path: Path) -> bool:
        """Open a document file (or import a report JSON into a new one). False when refused."""
        path = Path(path)
        if path.suffix.lower() == ".json":
            return self._open_json_as_document(path)
        if self.session is not None and self.session.file.path.resolve() == path.resolve():
            return True  # already the open document (e.g. chosen again from 最近打开)
        try:
            file = DocumentFile.open(path)
        except DocumentBusy as exc:
            file = self._open_busy(path, exc)
            if file is None:
                return False
        except StorageError as exc:
            QMessageBox.warning(self, "无法打开", str(exc))
            if self.settings.last == str(path.resolve()):
                self.settings.forget(path)
            return False
        if not self._set_session(Session(file, self)):
            return False
        self.settings.add_recent(path)
        return True

    def _open_busy(self, path: Path, exc: DocumentBusy) -> DocumentFile | None:
        """The document is being edited elsewhere: offer what it has saved, read-only."""
        answer = QMessageBox.question(
            self,
            "文档正在使用",
            f"{exc}。\n\n以只读方式打开它已保存的内容吗？（只能查看、导出和另存为，修改不会被接受）",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            return DocumentFile.open_snapshot(path)
        except StorageError as error:
            QMessageBox.warning(self, "无法打开", str(error))
            return None

    def _open_json_as_document(self, path: Path) -> bool:
        try:
            report = load_report(path)
        except LoadError as exc:
            QMessageBox.warning(self, "无法打开", str(exc))
            return False
        target = self._ask_save_path(path.with_suffix(SUFFIX).name, "将报告保存为文档")
        if target is None:
            return False
        return self._create(target, report)

    def _create(self, target: Path, report) -> bool:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            file = DocumentFile.create(target, report)
        except (StorageError, OutputError, OSError) as exc:
            QMessageBox.warning(self, "无法创建文档", str(exc))
            return False
        if not self._set_session(Session(file, self)):
            return False
        self.settings.add_recent(target)
        return True

    def open_example(self) -> bool:
        """The built-in example, copied once into the documents folder so it can be edited."""
        target = documents_dir() / "示例报告（城乡居民医保补助）.jxzp"
        if target.exists():
            return self.open_path(target)
        try:
            report = load_report(RESOURCES / "example.json")
        except LoadError as exc:  # pragma: no cover - shipped with the program
            QMessageBox.warning(self, "无法打开示例", str(exc))
            return False
        return self._create(target, report)

    def _clear_tabs(self) -> None:
        self._stale.clear()  # nothing left to catch up on: the tabs go
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            widget.deleteLater()

    def _set_session(self, session: Session) -> bool:
        """Show ``session`` instead of the open document. False (and ``session`` closed again)
        when the open one could not be saved and the user chose to keep it."""
        if not self._close_session():
            session.close()
            return False
        self._clear_tabs()  # the “开始” placeholder, if nothing was open
        self.session = session
        doc = session.document
        self.project_tab = ProjectTab(doc)
        self.fund_tab = FundTab(doc)
        self.indicator_tab = IndicatorTab(doc)
        self.narrative_tab = NarrativeTab(doc)
        self.review_tab = ReviewTab(doc)
        for tab, title in (
            (self.project_tab, "项目信息"),
            (self.fund_tab, "项目资金"),
            (self.indicator_tab, "绩效指标"),
            (self.narrative_tab, "报告正文"),
            (self.review_tab, "复核"),
        ):
            self.tabs.addTab(tab, title)
        self.review_tab.stop_button.clicked.connect(self.stop_review)
        self._show_review_tab()
        for model in (
            self.project_tab.team_model,
            self.fund_tab.sources_model,
            self.fund_tab.expenditures_model,
            self.fund_tab.management_model,
            self.indicator_tab.model,
            self.narrative_tab.model,
            self.review_tab.model,
        ):
            model.refused.connect(self.show_refusal)
        for form in (self.project_tab.form, self.fund_tab.form, self.fund_tab.balance_form):
            form.refused.connect(self.show_refusal)
        for tab in (self.indicator_tab, self.narrative_tab):  # their forms follow the selected row
            tab.refused.connect(self.show_refusal)
        for view in (
            self.project_tab.team_view,
            self.fund_tab.sources_view,
            self.fund_tab.expenditures_view,
            self.fund_tab.management_view,
            self.indicator_tab.view,
            self.narrative_tab.view,
            self.review_tab.view,
        ):
            view.message.connect(self.show_refusal)
        self.dock = FindingsDock(doc, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.jump.connect(self.jump_to)
        self.restore_layout()
        session.changed.connect(self._changed)
        session.save_status.connect(self._save_status)
        self._save_status(session.file.status)
        self._update_status()
        if session.read_only:
            self.show_banner(session.document.read_only_message + "。")
        return True

    def commit_typing(self) -> None:
        """Put what is being typed into the document now (a cell editor, a long text waiting for
        its pause), before the document is closed, exported, printed or copied."""
        if self.session is None:
            return
        focus = QApplication.focusWidget()
        if focus is not None:
            focus.clearFocus()  # cell editors and text fields commit when they lose focus
        for form in self._forms():
            for binding in list(form.bindings.values()):
                binding.commit()

    def _forms(self):
        forms = [self.project_tab.form, self.fund_tab.form, self.fund_tab.balance_form]
        forms += [f for f in (self.indicator_tab.detail_form, self.narrative_tab.form) if f is not None]
        return forms

    def _close_session(self) -> bool:
        if self.session is None:
            return True
        self.commit_typing()
        self.save_layout()
        try:
            self.session.close()
        except SaveError as exc:
            answer = QMessageBox.warning(
                self,
                "无法保存",
                f"{exc}\n\n仍要关闭吗？未写入的修改将丢失。",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        self.session = None
        self._clear_tabs()
        if self.dock is not None:
            self.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        self.banner.hide()
        return True

    # --- reacting to changes ---------------------------------------------------------------------

    def _changed(self, changes, how) -> None:
        """Every view hears of a change through one ChangeSet. The visible tab redraws now; a
        hidden one only tells its item models about new or removed rows (they must know at once)
        and catches up when it is shown (electrum's maybe_defer_update, moneyguru's hideable views)."""
        change_set = ChangeSet.of(changes)
        current = self.tabs.currentWidget()
        for tab in self._document_tabs():
            if tab is current:
                tab.refresh(change_set)
            else:
                tab.refresh_structure(change_set)
                stale = self._stale.get(tab)
                self._stale[tab] = change_set if stale is None else stale.merge(change_set)
        self._show_review_tab()
        self.dock.refresh()
        self._update_status()
        if how == "do":
            self.statusBar().clearMessage()  # an old refusal no longer describes the grid
        if how in ("undo", "redo"):
            self.statusBar().showMessage(f"已{'撤销' if how == 'undo' else '重做'}", 3000)

    def _document_tabs(self):
        return (self.project_tab, self.fund_tab, self.indicator_tab, self.narrative_tab, self.review_tab)

    # --- 复核: the figures a handed-in table prints ------------------------------------------------

    def _show_review_tab(self) -> None:
        """The 复核 tab is there while the report records printed figures."""
        recording = self.doc.report.printed is not None
        index = self.tabs.indexOf(self.review_tab)
        if self.tabs.isTabVisible(index) != recording:  # setting it lays the whole tab widget out again
            self.tabs.setTabVisible(index, recording)
        self.review_start_action.setEnabled(not recording)
        self.review_stop_action.setEnabled(recording)

    def start_review(self) -> None:
        """复核 → 记录表上数字: start recording (one undo step) and show the 复核 tab."""
        if not self.doc:
            return
        try:
            self.doc.start_review()
        except InputError as exc:
            self.show_refusal(str(exc))
            return
        self.tabs.setCurrentWidget(self.review_tab)

    def stop_review(self) -> None:
        if not self.doc:
            return
        try:
            self.doc.stop_review()
        except InputError as exc:
            self.show_refusal(str(exc))

    def _tab_shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        stale = self._stale.pop(tab, None)
        if stale is not None:
            tab.refresh(stale)

    def _update_status(self) -> None:
        doc = self.doc
        totals = doc.totals
        scored = doc.report.scored
        self._status_labels["score"].setText(f"总分 {fmt2(totals.score)}" if scored else "不评分")
        self._status_labels["grade"].setText(f"评价等级 {totals.grade}" if scored else "")
        self._status_labels["rate"].setText(f"执行率 {fmt_rate(totals.funds.total.execution_rate)}")
        self._rules_status.setText(rules_status(doc.report, totals))
        self.undo_action.setEnabled(doc.can_undo())
        self.redo_action.setEnabled(doc.can_redo())
        self.undo_action.setText(f"撤销 {doc.undo_description()}" if doc.can_undo() else "撤销")
        self.redo_action.setText(f"重做 {doc.redo_description()}" if doc.can_redo() else "重做")
        name = self.session.file.path.stem
        flags = "（只读）" if self.session.read_only else ""
        self.setWindowTitle(f"{name}{flags} - {APP_NAME}")

    def _typing_changed(self) -> None:
        if self.session is not None:
            self._save_status(self._file_status)

    def _save_status(self, status: str) -> None:
        self._file_status = status
        label = self._status_labels["saved"]
        if self.session and self.session.read_only:
            text = "只读"
        elif status != "error" and typing_pending(self._forms()):
            text = "正在输入…"  # typed text waits for a pause; 已保存 would not be true yet
        else:
            text = STATUS_TEXT.get(status, status)
        label.setText(text)
        label.setStyleSheet("color:#b3261e;font-weight:bold;" if status == "error" else "")
        if status == "error" and self.session and self.session.file.error:
            self.show_banner(str(self.session.file.error))
        elif status == "saved" and not (self.session and self.session.read_only):
            self.banner.hide()

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def show_refusal(self, message: str) -> None:
        self.statusBar().showMessage(message, REFUSAL_MS)

    def undo(self) -> None:
        if self.doc:
            self.doc.undo()

    def redo(self) -> None:
        if self.doc:
            self.doc.redo()

    # --- jumping to what a finding points at ---------------------------------------------------

    def jump_to(self, path: tuple) -> None:
        head = path[0] if path else ""
        if head in ("project", "team"):
            self.tabs.setCurrentWidget(self.project_tab)
            if head == "team" and len(path) > 1:
                view = self.project_tab.team_view
                view.setCurrentIndex(view.model().index(path[1], 0))
                view.setFocus()
                return
            widget = self.project_tab.form.widget_for(path[:2])
            if widget is not None:
                widget.setFocus()
        elif head == "funds":
            self.tabs.setCurrentWidget(self.fund_tab)
            self._jump_funds(path)
        elif head == "indicators":
            self.tabs.setCurrentWidget(self.indicator_tab)
            cell = self.indicator_tab.table.cell_for(path)
            if cell is not None:
                self.indicator_tab.select(*cell)
            self.indicator_tab.view.setFocus()
        elif head == "printed":
            self.tabs.setCurrentWidget(self.review_tab)
            self.review_tab.select(path)
        elif head == "narrative":
            self.tabs.setCurrentWidget(self.narrative_tab)
            section = path[:-1] if path[-1] == "text" else path
            self.narrative_tab.select(section)
            self.narrative_tab.editor.setFocus()

    def _jump_funds(self, path: tuple) -> None:
        tab = self.fund_tab
        if len(path) >= 2 and path[1] in ("sources", "expenditures"):
            view = tab.sources_view if path[1] == "sources" else tab.expenditures_view
            table = view.model().table
            row = path[2] if len(path) > 2 else len(table.items)
            key = path[3] if len(path) > 3 else None
            col = next((i for i, c in enumerate(table.columns) if c.key == key), 1 if key is None else 0)
            view.setCurrentIndex(view.model().index(row, col))
            view.setFocus()
            return
        widget = tab.form.widget_for(path[:2]) or tab.balance_form.widget_for(path[:3])
        if widget is not None:
            widget.setFocus()

    def about(self) -> None:
        QMessageBox.about(
            self,
            "关于",
            f"<b>{APP_NAME}</b> {__version__}"
            "<br>项目支出绩效自评报告的离线填报、检查与导出工具。"
            "<br>全部数据保存在本机，不联网。",
        )

    def closeEvent(self, event):
        if operations.busy():
            # An export or print still runs: printing stops at the next page, an export is let
            # finish (its file is written whole or not at all), and then the window closes.
            event.ignore()
            if not self.closing:
                self.closing = True
                operations.cancel_all()
                self.statusBar().showMessage("正在结束导出或打印，完成后自动关闭…")
                operations.when_idle(self.close)
            return
        if self._close_session():
            self.save_layout(window_too=True)
            event.accept()
        else:
            event.ignore()

    def start(self, paths: list[str]) -> None:
        """What to show first: the file asked for, else the last document; the example only on a
        first start, when nothing was asked for and nothing is remembered.

        When the document asked for or remembered cannot be opened (most often it is open in
        another window, or damaged), the refusal has been shown and the start page stays: opening
        another document in its place, the example least of all, invites typing into the wrong one.
        """
        if paths:
            if not self.open_path(Path(paths[0])):
                self._show_empty()
            return
        last = self.settings.last
        if last and Path(last).exists():
            if not self.open_path(Path(last)):
                self._show_empty()
            return
        if not self.open_example():
            self._show_empty()

    def _show_empty(self) -> None:
        """The start page: nothing is open; say so and offer the ways on."""
        self._clear_tabs()
        page = QWidget()
        page.setObjectName("start_page")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        label = QLabel("没有打开的报告。\n请新建一份报告，或打开已有的报告。")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for text, slot in (
            ("新建…", self.new_document),
            ("打开…", self.open_dialog),
            ("打开示例报告", self.open_example),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.tabs.addTab(page, "开始")
        self.setWindowTitle(APP_NAME)
