"""Before Qt starts on Linux: are the system libraries the window needs there, and is there a display?

Qt aborts the process when its xcb platform plugin cannot be loaded, with a message that names
only libxcb-cursor0 whatever is really missing ("xcb-cursor0 is needed"). A finance officer on a
fresh desktop deserves the one command that fixes it instead. Nothing here imports Qt: it runs
before PySide6 is loaded, and finds the plugin's files without importing the package.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.util
import os
import re
import sys
from collections.abc import Collection
from pathlib import Path

# Every Debian/UOS package whose libraries Qt's xcb platform and the widgets load (from the NEEDED
# entries of PySide6's libqxcb.so, libQt6XcbQpa, libQt6Gui, libQt6Widgets, libQt6DBus, the
# xcb-gl integration), less what every system has (libc, libstdc++, zlib). The README's list and
# the message below are this list.
DESKTOP_PACKAGES = (
    "libegl1", "libgl1", "libopengl0", "libfontconfig1", "libfreetype6", "libdbus-1-3", "libglib2.0-0",
    "libx11-6", "libx11-xcb1", "libxkbcommon0", "libxkbcommon-x11-0", "libxcb1", "libxcb-cursor0",
    "libxcb-glx0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0", "libxcb-render0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1", "libxcb-util1", "libxcb-xfixes0",
    "libxcb-xinerama0", "libxcb-xkb1",
)  # fmt: skip

APT_LINE = "sudo apt-get install " + " ".join(DESKTOP_PACKAGES)

_SONAME_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb.so.1": "libxcb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
}


def package_for(soname: str) -> str | None:
    """The Debian package that ships a library, for the libraries Qt's window needs."""
    if soname in _SONAME_PACKAGES:
        return _SONAME_PACKAGES[soname]
    m = re.fullmatch(r"libxcb-([a-z]+)\.so\.(\d+)", soname)
    if m and f"libxcb-{m.group(1)}{m.group(2)}" in DESKTOP_PACKAGES:
        return f"libxcb-{m.group(1)}{m.group(2)}"
    return None


def missing_library(error: str) -> str | None:
    """The library named by a loader error ("libxcb-icccm.so.4: cannot open shared object file…")."""
    m = re.search(r"([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file", error)
    return m.group(1) if m else None


def problem_message(missing: str | None) -> str:
    """What to tell the user, in Chinese and English, with the one line that fixes it."""
    if missing:
        package = package_for(missing)
        named = f"{missing}（软件包 {package}）" if package else missing
        return (
            f"无法打开窗口：缺少图形界面需要的系统库 {named}。请以管理员身份运行下面这一行，然后重新启动。\n"
            f"Cannot open the window: the system library {missing} is missing. Install what the window needs with:\n"
            f"  {APT_LINE}\n"
            "（命令行功能 check / export 不需要这些库 · the check and export commands work without them）"
        )
    return (
        "无法打开窗口：没有可用的图形显示（DISPLAY 未设置或无法连接）。请在桌面环境中启动本程序。\n"
        "Cannot open the window: no graphical display is available (DISPLAY unset or unreachable).\n"
        "（命令行功能 check / export 不需要显示 · the check and export commands need no display）"
    )


@functools.cache  # asked three times at start-up (main.py, the window check, the input method)
def platform_plugins() -> frozenset[str]:
    """The platform plugins beside our Qt, by key (xcb, wayland, offscreen…). The Linux bundle
    leaves Qt's Wayland client out (installer/jxzp.spec): there a Wayland session's window runs
    through XWayland with the xcb plugin. Empty when PySide6's folders cannot be found."""
    keys = set()
    for plugins in qt_plugin_folders():
        for plugin in (plugins / "platforms").glob("libq*.so"):
            keys.add(plugin.name[len("libq") : -len(".so")].removesuffix("-generic"))
    return frozenset(keys)


def _requested_platforms(environ) -> list[str]:
    """The platforms Qt will try, in its order: QT_QPA_PLATFORM's ;-list, else Wayland first on a
    Wayland session, then xcb."""
    listed = [p.split(":")[0] for p in environ.get("QT_QPA_PLATFORM", "").split(";") if p]
    if listed:
        return listed
    return ["wayland", "xcb"] if environ.get("WAYLAND_DISPLAY") else ["xcb"]


def xcb_will_be_used(environ=None, plugins: Collection[str] | None = None) -> bool:
    """Whether Qt will show the window through X11 (its xcb platform): the first platform asked
    for that this Qt has (``plugins``: those of :func:`platform_plugins`)."""
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return False
    plugins = platform_plugins() if plugins is None else plugins
    found = [p for p in _requested_platforms(environ) if not plugins or p in plugins]
    return bool(found) and found[0] == "xcb"


def platform_fallback(environ=None, plugins: Collection[str] | None = None) -> dict[str, str]:
    """QT_QPA_PLATFORM to set so that Qt starts: where it names only platforms this Qt lacks
    (``wayland`` on a desktop that sets it, with the bundle's Qt that has no Wayland client) and
    an X server answers for the session (XWayland), xcb after them; Qt tries each in turn instead
    of stopping with "Could not find the Qt platform plugin". {} otherwise."""
    environ = os.environ if environ is None else environ
    plugins = platform_plugins() if plugins is None else plugins
    platform = environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or not platform or not plugins or "xcb" not in plugins:
        return {}
    if any(p in plugins for p in _requested_platforms(environ)) or not environ.get("DISPLAY"):
        return {}
    return {"QT_QPA_PLATFORM": f"{platform};xcb"}


def qt_plugin_folders() -> list[Path]:
    """Qt's plugin folders inside PySide6 (Qt/plugins in the wheels for Linux, plugins on Windows)."""
    spec = importlib.util.find_spec("PySide6")  # finds the package without importing it
    if not spec or not spec.submodule_search_locations:
        return []
    folders = [Path(f) / sub for f in spec.submodule_search_locations for sub in ("Qt/plugins", "plugins")]
    return [f for f in folders if f.is_dir()]


def _qxcb_plugin() -> Path | None:
    for plugins in qt_plugin_folders():
        plugin = plugins / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def _display_reachable() -> bool:
    """Whether an X server answers at $DISPLAY (libxcb's own connect, as Qt will do it)."""
    if not os.environ.get("DISPLAY"):
        return False
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # reported as a missing library by the plugin check
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(None, None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)


def window_problem() -> str | None:
    """Why the window cannot start here, as the message to print; None when it can (or when we
    cannot tell, in which case Qt has its say)."""
    if not xcb_will_be_used():
        return None
    plugin = _qxcb_plugin()
    if plugin is not None:
        try:
            ctypes.CDLL(str(plugin))  # resolves every library the plugin needs, as Qt's loader will
        except OSError as exc:
            missing = missing_library(str(exc))
            if missing:
                return problem_message(missing)
    if not _display_reachable():
        return problem_message(None)
    return None
