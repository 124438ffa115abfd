"""A desktop to type Chinese on, as on a UOS, Kylin or deepin PC with fcitx5: an X server (Xvfb), a
session D-Bus, fcitx5 with 拼音 as the second input method of its profile (Ctrl+Space switches to
it), and xdotool as the keyboard. The window is driven only through X, as a user drives it, and
what it saved is read back from the document file.

Used by tests/test_chinese_input.py (the window from the sources) and tests/test_installer.py
(the bundled window; its print test uses the X desktop alone). Each piece is skipped, naming its
Debian package, where it is missing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.tools import require, require_file

PINYIN_ADDON = Path("/usr/share/fcitx5/addon/pinyin.conf")
# keyboard-us first, 拼音 second: each program starts in English and Ctrl+Space switches.
PROFILE = """[Groups/0]
Name=默认
Default Layout=us
DefaultIM=pinyin

[Groups/0/Items/0]
Name=keyboard-us
Layout=

[Groups/0/Items/1]
Name=pinyin
Layout=

[GroupOrder]
0=默认
"""
READY_S = 60  # the longest wait for a program to come up, or for the window to have saved


def require_tools() -> dict[str, str]:
    return {
        "Xvfb": require("xvfb", "Xvfb"),
        "xdotool": require("xdotool", "xdotool"),
        "dbus-daemon": require("dbus-daemon", "dbus-daemon"),
        "fcitx5": require("fcitx5", "fcitx5"),
        "fcitx5-remote": require("fcitx5", "fcitx5-remote"),
        "pinyin": str(require_file("fcitx5-chinese-addons", PINYIN_ADDON)),
    }


def _started_on_fd(argv: list[str], env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """Start a server that writes one line to a file descriptor when it is ready (Xvfb's display
    number, dbus-daemon's address); the program and that line."""
    read, write = os.pipe()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [a.replace("{fd}", str(write)) for a in argv], env=env, pass_fds=(write,), stdout=out, stderr=out
        )
    os.close(write)
    with os.fdopen(read, "r") as ready:
        line = ready.readline().strip()
    assert line, f"{argv[0]} did not start: {log.read_text(errors='replace')[-2000:]}"
    return process, line


def wait_for(condition: Callable[[], object], what: str, process: subprocess.Popen | None = None):
    """Poll ``condition`` until it is true (its value is returned); fail after READY_S seconds, or
    at once when ``process`` has exited. Waiting for a state, not asserting a duration."""
    deadline = time.monotonic() + READY_S
    while True:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the program exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {READY_S} s")
        time.sleep(0.1)


class XDesktop:
    """An X server (Xvfb) with xdotool as the keyboard, for a program driven as a user drives it."""

    def __init__(self, root: Path, tools: dict[str, str]):
        self.root = root
        self.tools = tools
        self.processes: list[subprocess.Popen] = []
        home = root / "home"
        home.mkdir(parents=True)
        runtime = root / "run"
        runtime.mkdir(mode=0o700)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_RUNTIME_DIR": str(runtime),
            "LANG": "C.UTF-8",
        }

    def start(self) -> None:
        xvfb, display = _started_on_fd(
            [self.tools["Xvfb"], "-displayfd", "{fd}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
            self.env,
            self.root / "xvfb.log",
        )
        self.processes.append(xvfb)
        self.env["DISPLAY"] = f":{display}"

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def xdotool(self, *args: str) -> str:
        r = subprocess.run(
            [self.tools["xdotool"], *args], env=self.env, capture_output=True, text=True, timeout=READY_S
        )
        assert r.returncode == 0 or args[0] == "search", f"xdotool {args}: {r.stderr}"
        return r.stdout.strip()

    def keys(self, *keys: str) -> None:
        self.xdotool("key", "--delay", "50", *keys)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "50", text)

    def focus_window_of(self, process: subprocess.Popen, *search: str) -> None:
        """Give the keyboard to the program's window once it shows (no window manager here); with
        ``search``, to the window xdotool's search finds by those terms instead (a dialog)."""
        search = search or ("--pid", str(process.pid))
        window = wait_for(lambda: self.xdotool("search", "--onlyvisible", *search).split(), " ".join(search), process)[
            0
        ]
        self.xdotool("windowfocus", "--sync", window)


class Desktop(XDesktop):
    """The X desktop with a session D-Bus and fcitx5 (its profile: keyboard-us, then 拼音)."""

    def __init__(self, root: Path, tools: dict[str, str]):
        super().__init__(root, tools)
        config = Path(self.env["XDG_CONFIG_HOME"]) / "fcitx5"
        config.mkdir(parents=True)
        (config / "profile").write_text(PROFILE, encoding="utf-8")
        self.fcitx_log = root / "fcitx5.log"

    def start(self) -> None:
        super().start()
        bus, address = _started_on_fd(
            [self.tools["dbus-daemon"], "--session", "--nofork", "--nosyslog", "--print-address={fd}"],
            self.env,
            self.root / "dbus.log",
        )
        self.processes.append(bus)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address
        with open(self.fcitx_log, "wb") as out:
            fcitx = subprocess.Popen([self.tools["fcitx5"]], env=self.env, stdout=out, stderr=out)
        self.processes.append(fcitx)
        # Ready when 拼音 has loaded (its dictionaries come last) and the ibus frontend has written
        # the address file that tells programs an ibus service runs for this display.
        wait_for(lambda: "Loaded addon pinyin" in self.fcitx_log.read_text(errors="replace"), "fcitx5 拼音", fcitx)
        wait_for(lambda: list((self.root / "home/.config/ibus/bus").glob("*")), "fcitx5's ibus frontend", fcitx)

    def input_method(self) -> str:
        """The input method of the input context that has the keyboard ('' when none has it)."""
        r = subprocess.run(
            [self.tools["fcitx5-remote"], "-n"], env=self.env, capture_output=True, text=True, timeout=READY_S
        )
        return r.stdout.strip()


@contextmanager
def x_desktop(root: Path) -> Iterator[XDesktop]:
    desktop = XDesktop(root, {"Xvfb": require("xvfb", "Xvfb"), "xdotool": require("xdotool", "xdotool")})
    try:
        desktop.start()
        yield desktop
    finally:
        desktop.stop()


@contextmanager
def fcitx_desktop(root: Path) -> Iterator[Desktop]:
    desktop = Desktop(root, require_tools())
    try:
        desktop.start()
        yield desktop
    finally:
        desktop.stop()


def type_pinyin_in_the_window(desktop: Desktop, argv: list[str], document: Path, env: dict) -> tuple[int, str]:
    """Start the window (``argv`` + the document) on the desktop, then as a user: Tab to 项目名称
    (its text selected), Ctrl+Space to 拼音, type ni, pause until the window has saved (the
    composition has begun), hao and Space (你好); Shift+Tab back to the 评价小组 grid, → to the 姓名
    of its first row, zhang, pause until saved, san, Space (张三), Enter. Then Ctrl+C, which closes
    the window as 关闭 does. Returns its exit code and what it printed."""
    from core.store.storage_format import read_document_report

    before = read_document_report(document)

    def saved(field: Callable, what: str) -> str:
        """The field's value once the window has saved a change to it."""
        changed = wait_for(
            lambda: (v,) if (v := field(read_document_report(document))) != field(before) else (), what, window
        )
        return changed[0]

    out = document.parent / "window.log"
    with open(out, "wb") as log:
        window = subprocess.Popen([*argv, str(document)], env={**desktop.env, **env}, stdout=log, stderr=log)
    try:
        desktop.focus_window_of(window)
        desktop.keys("Tab", "Tab")  # the tab bar has the keyboard first, then a scroll area
        wait_for(lambda: desktop.input_method() == "keyboard-us", "项目名称 taking the keyboard", window)
        desktop.keys("ctrl+space")
        wait_for(lambda: desktop.input_method() == "pinyin", "Ctrl+Space switching to 拼音", window)
        desktop.type("ni")
        # The pinyin shows in the field and the selected text is gone: the pause saves the field
        # empty (letters saved instead mean the keys never reached fcitx5). Typing on after that
        # proves the composition survives a save in the middle of it.
        name = saved(lambda r: r.project.name, "项目名称 after ni")
        assert name == "", f"项目名称 saved as {name!r}: the keys did not reach 拼音\n{out.read_text(errors='replace')}"
        desktop.type("hao")
        desktop.keys("space")
        desktop.keys("shift+Tab", "shift+Tab", "shift+Tab", "shift+Tab", "Right")
        desktop.type("zhang")
        name = saved(lambda r: r.team[0].name, "姓名 after zhang")
        assert name == "", f"姓名 saved as {name!r}: the keys did not reach 拼音\n{out.read_text(errors='replace')}"
        desktop.type("san")
        desktop.keys("space", "Return")
        window.send_signal(signal.SIGINT)
        window.wait(timeout=READY_S)
    finally:
        if window.poll() is None:
            window.kill()
            window.wait()
    return window.returncode, out.read_text(encoding="utf-8", errors="replace")


def typed_report(root: Path, argv: list[str], env: dict):
    """Seed 000 as a document under ``root``, typed into by :func:`type_pinyin_in_the_window` on a
    fcitx5 desktop of its own, with the window's config and documents under ``root``: the report as
    the window saved it, once the window ended well (exit 0, no traceback, Qt's ibus plugin not
    complaining)."""
    from core.store.storage_format import read_document_report, write_new_document
    from tests.conftest import load_seed

    with fcitx_desktop(root / "desktop") as desktop:
        document = root / "报告.jxzp"
        write_new_document(document, load_seed("000"))
        dirs = {"JXZP_CONFIG_DIR": str(root / "config"), "JXZP_DOCUMENTS_DIR": str(root / "documents")}
        code, printed = type_pinyin_in_the_window(desktop, argv, document, {**env, **dirs})
    assert code == 0, printed
    assert "QIBusPlatformInputContext" not in printed and "Traceback" not in printed, printed
    return read_document_report(document)
