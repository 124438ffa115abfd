"""Starting the window on a desktop that lacks what Qt needs: one clear sentence and the one
``apt-get install`` line that fixes it, never Qt's abort with its misleading "xcb-cursor0" hint."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gui.system_libs import APT_LINE, DESKTOP_PACKAGES, missing_library, package_for, problem_message
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform is Linux's")


def test_a_loader_error_names_the_library_and_its_package():
    error = "libxcb-icccm.so.4: cannot open shared object file: No such file or directory"
    assert missing_library(error) == "libxcb-icccm.so.4"
    assert package_for("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert package_for("libxcb-render-util.so.0") == "libxcb-render-util0"
    assert package_for("libEGL.so.1") == "libegl1"
    assert package_for("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    message = problem_message("libxcb-keysyms.so.1")
    assert "libxcb-keysyms.so.1" in message and "libxcb-keysyms1" in message and APT_LINE in message
    assert "无法打开窗口" in message and "Cannot open the window" in message


def test_every_library_qt_loads_maps_to_a_listed_package():
    """The NEEDED entries of Qt's xcb plugin and the libraries it pulls in, outside the wheel."""
    import importlib.util
    import re
    import shutil

    objdump = shutil.which("objdump")
    if not objdump:
        pytest.skip("objdump is not installed (Debian package: binutils)")
    qt = os.path.join(importlib.util.find_spec("PySide6").submodule_search_locations[0], "Qt")
    files = [os.path.join(qt, "plugins", "platforms", "libqxcb.so")]
    files += [os.path.join(qt, "lib", f"libQt6{m}.so.6") for m in ("XcbQpa", "Gui", "Widgets", "Core", "DBus")]
    needed = set()
    for f in files:
        out = subprocess.run([objdump, "-p", f], capture_output=True, text=True, check=True).stdout
        needed |= set(re.findall(r"NEEDED\s+(\S+)", out))
    system = {n for n in needed if not os.path.exists(os.path.join(qt, "lib", n))}
    everywhere = re.compile(r"(ld-linux.*|lib(c|m|gcc_s|stdc\+\+|z|zstd|dl|pthread|rt)\.so\.\d+|libshiboken6.*)")
    unmapped = sorted(n for n in system if not everywhere.fullmatch(n) and package_for(n) not in DESKTOP_PACKAGES)
    assert unmapped == []


def test_the_readme_lists_the_same_packages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert APT_LINE in readme


def test_no_display_or_missing_libraries_give_a_sentence_not_an_abort(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY",)}
    env.update(
        QT_QPA_PLATFORM="xcb",
        DISPLAY=":97",
        HOME=str(tmp_path),
        JXZP_CONFIG_DIR=str(tmp_path / "c"),
        JXZP_DOCUMENTS_DIR=str(tmp_path / "d"),
        PYTHONIOENCODING="utf-8",
    )
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py")], capture_output=True, text=True, encoding="utf-8", env=env, timeout=60
    )
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "无法打开窗口" in r.stderr and "Traceback" not in r.stderr
    # Either the libraries are missing here (then the fix is named) or they are present and the
    # display is not: both are said in words, and Qt never got to abort.
    assert APT_LINE in r.stderr or "DISPLAY" in r.stderr


#: The platform plugins of the Linux bundle, which leaves Qt's Wayland client out (installer/jxzp.spec).
BUNDLED_PLATFORMS = {"xcb", "offscreen", "minimal"}


def test_on_a_wayland_session_the_bundle_goes_through_xwayland():
    """With Qt's Wayland plugin, Qt on a Wayland session tries it first; the bundle has none, so
    Qt falls back to xcb (XWayland), and the checks for xcb's libraries and for fcitx5 apply."""
    from gui.system_libs import platform_plugins, xcb_will_be_used

    assert "wayland" in platform_plugins() and "xcb" in platform_plugins()  # PySide6's wheel has both
    session = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    assert not xcb_will_be_used(session)
    assert xcb_will_be_used(session, BUNDLED_PLATFORMS)
    assert xcb_will_be_used({"DISPLAY": ":0"}, BUNDLED_PLATFORMS)
    assert not xcb_will_be_used({**session, "QT_QPA_PLATFORM": "offscreen"}, BUNDLED_PLATFORMS)
    assert xcb_will_be_used({**session, "QT_QPA_PLATFORM": "wayland;xcb"}, BUNDLED_PLATFORMS)


def test_a_desktop_asking_for_wayland_gets_xcb_after_it_where_qt_has_no_wayland():
    """A desktop that sets QT_QPA_PLATFORM=wayland would make the bundle's Qt stop with "Could not
    find the Qt platform plugin": xcb is added after it, where an X server (XWayland) is there."""
    from gui.system_libs import platform_fallback

    asked = {"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    assert platform_fallback(asked, BUNDLED_PLATFORMS) == {"QT_QPA_PLATFORM": "wayland;xcb"}
    assert platform_fallback(asked, BUNDLED_PLATFORMS | {"wayland"}) == {}  # Qt from the wheel: as asked
    assert platform_fallback({**asked, "DISPLAY": ""}, BUNDLED_PLATFORMS) == {}  # no XWayland: Qt says why
    assert platform_fallback({**asked, "QT_QPA_PLATFORM": "offscreen"}, BUNDLED_PLATFORMS) == {}
    assert platform_fallback({"DISPLAY": ":0"}, BUNDLED_PLATFORMS) == {}  # nothing asked for: Qt's own order
