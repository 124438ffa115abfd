"""Chinese typing on Linux desktops that run fcitx5 (UOS, Kylin, deepin and most others now).

Qt loads one input-context plugin, named by QT_IM_MODULE. The bundle carries Qt's ``ibus`` and
``compose`` plugins only: a fcitx5 Qt plugin must be built against the very Qt it loads into (it
uses Qt's private API), and Debian's, built for Qt 6.4.2, is refused by ours with an undefined
private symbol. fcitx5 also speaks ibus's protocol (its ibus frontend, an addon enabled by
default), so Qt's ``ibus`` plugin reaches it; two things keep that from happening by itself:

- fcitx desktops set QT_IM_MODULE=fcitx (a plugin we lack: Qt falls back to ``compose``, which
  types no Chinese) or leave it unset (``compose`` again, on X11);
- Qt's ``ibus`` plugin disables itself unless the program ``ibus-daemon`` is on PATH, which a
  fcitx5 desktop lacks, or IBUS_USE_PORTAL is set, which sends it to the session bus name
  ``org.freedesktop.portal.IBus``, which fcitx5's ibus frontend owns.

So when fcitx5 is seen serving ibus here and the module asked for is not one we have, Qt starts
with QT_IM_MODULE=ibus and IBUS_USE_PORTAL=1; the variables are put back as they were once Qt has
read them, so programs the window starts (the file manager 打开所在文件夹 opens) keep the
desktop's own settings. fcitx 4 (Kylin V10, UOS 20) has no ibus frontend: nothing here helps
there (README, 中文输入). Nothing here imports Qt: it runs before QApplication exists.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path

from gui.system_libs import qt_plugin_folders, xcb_will_be_used

#: Module names Qt handles without a plugin file: no input method, and Qt's own Wayland protocol.
BUILT_IN = {"none", "wayland"}
#: Plugin files whose keys differ from their names.
_KEYS = {"fcitx5": {"fcitx", "fcitx5"}, "fcitx": {"fcitx"}}
_MACHINE_ID_FILES = (Path("/var/lib/dbus/machine-id"), Path("/etc/machine-id"))  # libdbus's order


def available_modules() -> set[str]:
    """The input-context modules Qt can load here: the keys of the plugins beside our Qt."""
    keys = set(BUILT_IN)
    for folder in qt_plugin_folders():
        for plugin in (folder / "platforminputcontexts").glob("lib*.so"):
            m = re.fullmatch(r"lib(.+?)(?:platforminputcontext)?plugin\.so", plugin.name)
            if m:
                keys |= _KEYS.get(m.group(1), {m.group(1)})
    return keys


def requested_modules(environ: MutableMapping[str, str]) -> list[str]:
    """The modules Qt will try, in its order: QT_IM_MODULES (a ;-list, Qt 6.8+), else QT_IM_MODULE."""
    listed = [m for m in environ.get("QT_IM_MODULES", "").split(";") if m]
    if listed:
        return listed
    return [environ["QT_IM_MODULE"]] if environ.get("QT_IM_MODULE") else []


def ibus_address_file(environ: MutableMapping[str, str]) -> Path | None:
    """Where the program serving ibus for this display writes its address, named as Qt's ibus
    plugin names it: ~/.config/ibus/bus/MACHINE-ID-HOST-DISPLAY."""
    if environ.get("IBUS_ADDRESS_FILE"):
        return Path(environ["IBUS_ADDRESS_FILE"])
    if environ.get("WAYLAND_DISPLAY"):
        host, number = "unix", environ["WAYLAND_DISPLAY"]
    elif environ.get("DISPLAY"):
        display = environ["DISPLAY"]
        colon = display.find(":")
        host = display[:colon] if colon > 0 else "unix"
        number = display[colon + 1 :].split(".")[0]
    else:
        return None
    config = environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if os.path.isabs(config) else Path(environ.get("HOME", "~")).expanduser() / ".config"
    for id_file in _MACHINE_ID_FILES:
        try:
            machine = id_file.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if machine:
            return base / "ibus" / "bus" / f"{machine}-{host}-{number}"
    return None


def fcitx5_serves_ibus(environ: MutableMapping[str, str]) -> bool:
    """Whether fcitx5's ibus frontend is running for this display: the ibus address file names a
    live process whose name is fcitx5 (an ibus-daemon writes the same file; fcitx 4 writes none)."""
    path = ibus_address_file(environ)
    try:
        text = path.read_text(encoding="utf-8", errors="replace") if path else ""
    except OSError:
        return False
    m = re.search(r"^IBUS_DAEMON_PID=(\d+)\s*$", text, re.M)
    if not m:
        return False
    try:
        name = Path(f"/proc/{m.group(1)}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:  # no such process (a file left by a fcitx5 that has gone)
        return False
    return name == "fcitx5"


def choose(environ: MutableMapping[str, str]) -> dict[str, str]:
    """The variables to set for Qt's start so that typing goes through fcitx5; {} where no
    fcitx5 serves ibus here, or the modules asked for already name an input method we have (or
    ``none``). A module we lack (fcitx), only ``compose``, or nothing at all on X11 gets ``ibus``."""
    if not sys.platform.startswith("linux") or not fcitx5_serves_ibus(environ):
        return {}
    requested = requested_modules(environ)
    have = available_modules() - {"compose"}  # compose gives dead keys, not Chinese
    usable = [m for m in requested if m.split(":")[0].lower() in have]
    changes: dict[str, str] = {}
    if usable:
        chosen = usable[0].split(":")[0].lower()
    elif not requested and not xcb_will_be_used(environ):
        return {}  # Wayland, nothing asked for: Qt uses the compositor's text-input protocol; left alone
    else:
        chosen = "ibus"
        changes["QT_IM_MODULE"] = "ibus"
        if [m for m in environ.get("QT_IM_MODULES", "").split(";") if m]:  # it overrides QT_IM_MODULE
            changes["QT_IM_MODULES"] = "ibus"
    if chosen == "ibus" and "IBUS_USE_PORTAL" not in environ:
        changes["IBUS_USE_PORTAL"] = "1"
    return changes


@contextmanager
def for_qt_start(environ: MutableMapping[str, str] = os.environ) -> Iterator[dict[str, str]]:
    """Set what :func:`choose` says while Qt starts (create the QApplication inside), then put
    every variable back as it was."""
    changes = choose(environ)
    saved = {name: environ.get(name) for name in changes}
    environ.update(changes)
    try:
        yield changes
    finally:
        for name, value in saved.items():
            if value is None:
                environ.pop(name, None)
            else:
                environ[name] = value
