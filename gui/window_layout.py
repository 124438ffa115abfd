"""Where the window opens and how big: fitted to the screen it opens on the first time, then as the
user left it on that screen (place, size, maximised, the splitters and the 检查结果 dock's width).
Kept in :class:`core.store.settings.Settings`, per screen size, so a laptop that is sometimes
docked to a large monitor keeps one layout for each. A mixin of the main window."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen

#: The first size on a screen with room for it; smaller screens get the window maximised.
PREFERRED = QSize(1280, 820)
#: Room left around the window for its frame and the taskbar, on a screen just big enough.
MARGIN = QSize(80, 100)
DOCK_WIDTH = 360
MIN_DOCK_WIDTH = 200  # narrower, no finding can be read: a layout from a cramped moment is not kept


def first_geometry(available: QRect) -> QRect | None:
    """The first geometry on a screen whose free area is ``available``, or None for “maximised”
    (the window would not fit with its frame, title bar and status bar: at 1366×768 it would
    hang over the taskbar and hide 总分/等级/已保存)."""
    if available.width() < PREFERRED.width() + MARGIN.width() or available.height() < (
        PREFERRED.height() + MARGIN.height()
    ):
        return None
    rect = QRect(0, 0, PREFERRED.width(), PREFERRED.height())
    rect.moveCenter(available.center())
    return rect


def screen_key(screen: QScreen | None) -> str:
    screen = screen or QGuiApplication.primaryScreen()
    size = screen.size()
    return f"{size.width()}x{size.height()}"


class WindowLayout:
    """Needs ``settings``, ``dock`` and ``layout_splitters()`` (name → QSplitter) from the window."""

    def place_on_screen(self) -> None:
        """Before the first show: what was remembered for this screen, else a size that fits it."""
        state = self.settings.window_state(screen_key(self.screen()))
        geometry = state.get("geometry")
        if geometry and self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii"))):
            if state.get("maximized"):
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            return
        screen = self.screen() or QGuiApplication.primaryScreen()
        rect = first_geometry(screen.availableGeometry())
        if rect is None:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        else:
            self.setGeometry(rect)

    def _layout_state(self) -> dict:
        return self.settings.window_state(screen_key(self.screen()))

    def save_layout(self, window_too: bool = False) -> None:
        """Remember the splitters and the dock (when a document closes) and, when the window
        closes, its place, size and maximised state, for the screen it is on."""
        state = self._layout_state()
        splitters = dict(state.get("splitters", {}))
        for name, splitter in self.layout_splitters().items():
            sizes = splitter.sizes()
            if splitter.isVisible() or splitter.property("moved"):  # never shown: its sizes mean nothing
                splitters[name] = sizes
        state["splitters"] = splitters
        if self.dock is not None and self.dock.isVisible() and self.dock.width() > 0:
            state["dock"] = self.dock.width()
        if window_too:
            state["geometry"] = bytes(self.saveGeometry().toBase64()).decode("ascii")
            state["maximized"] = self.isMaximized()
        self.settings.set_window_state(screen_key(self.screen()), state)

    def restore_layout(self) -> None:
        """After a document's tabs are built: its splitters and the dock as last left."""
        state = self._layout_state()
        saved = state.get("splitters", {})
        for name, splitter in self.layout_splitters().items():
            sizes = saved.get(name)
            if sizes and len(sizes) == splitter.count():
                splitter.setSizes(sizes)
            splitter.splitterMoved.connect(lambda *_a, s=splitter: s.setProperty("moved", True))
        self._dock_width = max(MIN_DOCK_WIDTH, state.get("dock", DOCK_WIDTH))
        if self.isVisible():
            self.resizeDocks([self.dock], [self._dock_width], Qt.Orientation.Horizontal)

    def showEvent(self, event):  # Qt override
        super().showEvent(event)
        # A dock cannot be sized before its window has its size, which comes after the show.
        QTimer.singleShot(0, self, self._size_dock)

    def _size_dock(self) -> None:
        width = getattr(self, "_dock_width", None)
        if width and self.dock is not None:
            self.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal)
            self._dock_width = None
