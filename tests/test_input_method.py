"""Which input method Qt starts with (gui/input_method.py): on a desktop where fcitx5 serves ibus,
a module the bundle lacks (fcitx) or none at all becomes Qt's ibus plugin, sent to fcitx5's
portal; everything else is left as the desktop set it. The typing itself, through a real fcitx5,
is tests/test_chinese_input.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gui.input_method import available_modules, choose, for_qt_start, ibus_address_file

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fcitx is Linux's")

TO_IBUS = {"QT_IM_MODULE": "ibus", "IBUS_USE_PORTAL": "1"}


@pytest.fixture
def process_named(tmp_path):
    """A live process with a given name (a copy of sleep), as /proc/PID/comm shows it."""
    started = []

    def start(name: str) -> int:
        program = tmp_path / "bin" / name
        if not program.exists():
            program.parent.mkdir(exist_ok=True)
            shutil.copy(shutil.which("sleep"), program)
        started.append(subprocess.Popen([str(program), "60"]))
        pid = started[-1].pid
        comm = Path(f"/proc/{pid}/comm")
        while comm.read_text(encoding="utf-8").strip() != name:  # Popen may return before the exec
            time.sleep(0.01)
        return pid

    yield start
    for process in started:
        process.kill()
        process.wait()


@pytest.fixture
def desktop(tmp_path, process_named):
    """An X11 session's environment whose ibus address file names ``server`` (fcitx5 by default)."""

    def make(server: str | None = "fcitx5", **variables: str) -> dict[str, str]:
        address = tmp_path / "ibus-address"
        if server:
            pid = process_named(server) if server != "gone" else 999_999_999
            address.write_text(f"IBUS_ADDRESS=unix:path=/tmp/bus\nIBUS_DAEMON_PID={pid}\n", encoding="utf-8")
        env = {"HOME": str(tmp_path), "DISPLAY": ":5", "IBUS_ADDRESS_FILE": str(address)}
        env.update(variables)
        return env

    return make


def test_the_bundled_qt_has_the_ibus_plugin():
    assert {"ibus", "compose"} <= available_modules()


def test_fcitx_asked_for_but_missing_becomes_ibus_through_the_portal(desktop):
    assert choose(desktop(QT_IM_MODULE="fcitx", XMODIFIERS="@im=fcitx", GTK_IM_MODULE="fcitx")) == TO_IBUS
    assert choose(desktop(QT_IM_MODULE="fcitx5")) == TO_IBUS
    assert choose(desktop(QT_IM_MODULE="compose")) == TO_IBUS  # dead keys only: no Chinese


def test_nothing_asked_for_on_x11_becomes_ibus(desktop):
    assert choose(desktop()) == TO_IBUS
    assert choose(desktop(QT_QPA_PLATFORM="xcb", WAYLAND_DISPLAY="wayland-0")) == TO_IBUS


def test_qt_im_modules_is_replaced_too_as_it_overrides_qt_im_module(desktop):
    env = desktop(QT_IM_MODULES="fcitx;compose", QT_IM_MODULE="fcitx")
    assert choose(env) == {**TO_IBUS, "QT_IM_MODULES": "ibus"}


def test_ibus_asked_for_gets_the_portal_without_which_qt_disables_it(desktop):
    # Qt's ibus plugin gives up unless ibus-daemon is on PATH; a fcitx5 desktop has none.
    assert choose(desktop(QT_IM_MODULE="ibus")) == {"IBUS_USE_PORTAL": "1"}
    assert choose(desktop(QT_IM_MODULE="ibus", IBUS_USE_PORTAL="0")) == {}  # the user's own setting stays
    assert choose(desktop(QT_IM_MODULE="none")) == {}


def test_left_alone_where_no_fcitx5_serves_ibus(desktop):
    # fcitx 4 (Kylin V10, UOS 20) sets the same variables but has no ibus frontend: no address file.
    assert choose(desktop(None, QT_IM_MODULE="fcitx", XMODIFIERS="@im=fcitx")) == {}
    assert choose(desktop("gone", QT_IM_MODULE="fcitx")) == {}  # a file left by a fcitx5 that has exited
    assert choose(desktop("ibus-daemon")) == {}  # ibus's own daemon: the desktop's settings are its own


def test_wayland_with_nothing_asked_for_is_left_to_qt(desktop):
    assert choose(desktop(WAYLAND_DISPLAY="wayland-0")) == {}
    assert choose(desktop(WAYLAND_DISPLAY="wayland-0", QT_IM_MODULE="fcitx")) == TO_IBUS


def test_the_variables_are_put_back_once_qt_has_started(desktop):
    """Programs the window starts (the file manager) get the desktop's own settings."""
    env = desktop(QT_IM_MODULE="fcitx")
    before = dict(env)
    with for_qt_start(env) as changes:
        assert changes == TO_IBUS
        assert env["QT_IM_MODULE"] == "ibus" and env["IBUS_USE_PORTAL"] == "1"
    assert env == before


def test_the_address_file_is_named_as_qt_and_fcitx5_name_it(tmp_path):
    machine = next(
        (f.read_text().strip() for f in (Path("/var/lib/dbus/machine-id"), Path("/etc/machine-id")) if f.exists()),
        "",
    )
    env = {"HOME": str(tmp_path), "DISPLAY": ":7.0"}
    if not machine:
        assert ibus_address_file(env) is None
        return
    assert ibus_address_file(env) == tmp_path / ".config" / "ibus" / "bus" / f"{machine}-unix-7"
    env["XDG_CONFIG_HOME"] = str(tmp_path / "cfg")
    assert ibus_address_file(env) == tmp_path / "cfg" / "ibus" / "bus" / f"{machine}-unix-7"
    env["WAYLAND_DISPLAY"] = "wayland-1"
    assert ibus_address_file(env) == tmp_path / "cfg" / "ibus" / "bus" / f"{machine}-unix-wayland-1"
    assert ibus_address_file({"HOME": str(tmp_path)}) is None  # no display at all
