"""Start the window: application names, logging, translators, the excepthook, then the GUI."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from core.store.settings import Settings, config_dir

STARTUP_MARKER = "JXZP-WINDOW-SHOWN"


def run(argv: list[str]) -> int:
    exit_after_show = "--exit-after-show" in argv  # for the benchmark: how long until usable
    paths = [a for a in argv if not a.startswith("--")]
    from gui.input_method import for_qt_start

    with for_qt_start() as input_method:  # fcitx5 through Qt's ibus plugin (gui/input_method.py)
        app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("jixiao-ziping")
    app.setApplicationName("绩效自评助手")
    app.setDesktopFileName("jixiao-ziping")  # matches the installed desktop entry
    from pathlib import Path

    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(Path(__file__).resolve().parent.parent / "resources" / "icon.png")))
    _logging()
    if input_method:
        logging.getLogger("jxzp").info("input method for Qt's start: %s", input_method)
    translated = install_translations(app) is not None
    from core.document import InputError
    from gui.dialogs import show_error
    from gui.main_window import MainWindow

    window = MainWindow(Settings())

    def excepthook(exc_type, exc, tb):
        if issubclass(exc_type, InputError):  # a refused entry that no widget caught: say why, no more
            window.show_refusal(str(exc))
            return
        logging.getLogger("jxzp").error("unexpected", exc_info=(exc_type, exc, tb))
        show_error(window, exc_type, exc, tb)

    sys.excepthook = excepthook
    _quit_on_interrupt(app, window)
    window.start(paths)
    window.show()
    QTimer.singleShot(1500, _warm_up_pdf)
    if exit_after_show:

        def done():
            print(f"{STARTUP_MARKER} peak_rss_kb={_peak_rss_kb()} qt_zh_CN={int(translated)}", flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(0, done)
    return app.exec()


def _warm_up_pdf() -> None:
    """Load the PDF code and fonts in the background once the window is up, so that the first
    导出 PDF or 打印预览 does not wait for them. A plain thread: no Qt object is touched there."""
    import threading

    def warm() -> None:
        import core.export.pdf  # noqa: F401 - reportlab's layout modules (about 0.25 s): not at the click
        from core.export.coverage import printable
        from core.export.fonts import load_fonts

        load_fonts()
        printable()  # check T01, which the click asks first

    threading.Thread(target=warm, name="jxzp-font-warm-up", daemon=True).start()


def install_translations(app) -> QTranslator | None:
    """Qt's own dialogs (file, print, colour) and context menus in Chinese. None when the
    translation is missing (the dialogs then speak English, nothing else changes)."""
    translator = QTranslator(app)
    if not translator.load(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        return None
    app.installTranslator(translator)
    return translator


def _quit_on_interrupt(app: QApplication, window) -> None:
    """Ctrl+C in the terminal closes the window as 关闭 would (what is typed is written first).
    Python only runs its signal handlers when it gets control back from Qt's event loop, so a
    timer hands it control a few times a second."""
    import signal

    def interrupt(_signum, _frame) -> None:
        window.close()
        app.quit()

    try:
        signal.signal(signal.SIGINT, interrupt)
    except ValueError:  # not the main thread (tests driving run() from elsewhere): leave it be
        return
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)


def _peak_rss_kb() -> int:
    """This process's peak memory. VmHWM, where there is one: ru_maxrss on Linux also counts
    the memory of the process that started us (it survives exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _logging() -> None:
    try:
        folder = config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(
            filename=os.fspath(folder / "jxzp.log"),
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s %(message)s",
        )
    except OSError:
        logging.basicConfig(level=logging.WARNING)
