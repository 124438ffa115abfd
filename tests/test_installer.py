"""Installers (slow): build the Linux bundle and the .deb, run what was built offline and
offscreen, and compile the Windows installer script with makensis."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.helpers import pdf as pdf_text
from tests.helpers.tools import require

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux build")]


@pytest.fixture(scope="module")
def built():
    require("binutils", "objdump")  # PyInstaller reads binaries with it
    r = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "build.py")], cwd=ROOT, capture_output=True, text=True, timeout=1200
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    bundle = ROOT / "build" / "dist" / "jixiao-ziping"
    deb = ROOT / "build" / "jixiao-ziping_0.1.0_amd64.deb"
    return bundle, deb


def _clean_env(home: Path) -> dict:
    """No Python, no network settings, no display: what an office PC's program sees."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "JXZP_CONFIG_DIR": str(home / "config"),
        "JXZP_DOCUMENTS_DIR": str(home / "documents"),
    }


def _exercise(program_dir: Path, home: Path) -> None:
    """Export the bundled example to PDF, Excel and Word with the bundled command line, check them
    as the export tests do, and show the bundled window once."""
    home.mkdir(parents=True, exist_ok=True)
    example = program_dir / "_internal" / "resources" / "example.json"
    pdf, xlsx, docx = home / "example.pdf", home / "example.xlsx", home / "example.docx"
    r = subprocess.run(
        [
            str(program_dir / "jxzp"),
            "export",
            str(example),
            "--pdf",
            str(pdf),
            "--xlsx",
            str(xlsx),
            "--docx",
            str(docx),
        ],
        env=_clean_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    text = pdf_text.compact(pdf)
    for words in ("项目支出绩效自评报告", "98.74", "评价等级：优", "668.40"):
        assert words in text
    fonts = pdf_text.fonts(pdf)
    assert fonts and all(font.embedded and font.truetype for font in fonts), fonts
    values = [c.value for row in openpyxl.load_workbook(xlsx)["自评表"].iter_rows() for c in row]
    assert "项目支出绩效自评表" in values
    from docx import Document as WordDocument  # python-docx finds its templates inside the bundle

    assert "一、基本情况" in [p.text for p in WordDocument(docx).paragraphs if p.style.name == "Heading 1"]
    r = subprocess.run(
        [str(program_dir / "jixiao-ziping"), "--exit-after-show"],
        env=_clean_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "JXZP-WINDOW-SHOWN" in r.stdout, r.stderr
    assert "qt_zh_CN=1" in r.stdout  # Qt's own dialogs are in Chinese inside the bundle too
    assert list((home / "documents" / "绩效自评").glob("*.jxzp"))  # settings and documents: the user's folders


def test_bundle_runs_offline_with_fonts_and_resources_inside(built, tmp_path):
    bundle, _deb = built
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    # 151.2 MB here before FandolFang (仿宋, 7.6 MB) came; lxml for Word is 5.6. Issue 20 wants 120
    # (ICU data alone is 32 MB): not met.
    assert size < 161e6, size / 1e6
    # Only libraries something in the bundle loads: no GTK, Pango or ATK for Qt's dropped GTK theme
    # plugin, no EglFS integration, and the command line is a link to the one program.
    names = [p.name for p in (bundle / "_internal").iterdir()]
    assert not [n for n in names if n.startswith(("libgtk", "libgdk", "libatk", "libpango", "libQt6EglFS"))], names
    assert (bundle / "jxzp").is_symlink()
    # The highest glibc and libstdc++ symbol versions any file asks for (objdump -T). Built on
    # Debian 12 with this Python and PySide6 6.12: glibc 2.35 (libpython), GLIBCXX 3.4.29 (Qt).
    from installer.linux.deb import symbol_versions

    glibc, glibcxx = symbol_versions(bundle)
    assert glibc <= (2, 35) and glibcxx <= 29, (glibc, glibcxx)
    assert (bundle / "_internal" / "resources" / "fonts" / "wqy-zenhei.ttc").exists()
    translations = [p.name for p in bundle.rglob("*.qm")]
    assert "qtbase_zh_CN.qm" in translations and not [t for t in translations if "zh_CN" not in t]
    assert not list(bundle.rglob("*QtQml*")) and not list(bundle.rglob("*pytest*"))
    _exercise(bundle, tmp_path / "home")


def test_deb_contents_and_installed_program(built, tmp_path):
    _bundle, deb = built
    require("dpkg", "dpkg-deb")
    info = subprocess.run(["dpkg-deb", "--info", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "Package: jixiao-ziping" in info and "postinst" in info
    # Depends is what the bundle was measured to need: glibc and libstdc++ from its symbols, and
    # every desktop library Qt's window loads (the list main.py names when one is missing).
    from gui.system_libs import DESKTOP_PACKAGES
    from installer.linux.deb import GLIBCXX_GCC, symbol_versions

    glibc, glibcxx = symbol_versions(_bundle)
    assert f"Depends: libc6 (>= {'.'.join(map(str, glibc))})" in info
    assert f"libstdc++6 (>= {GLIBCXX_GCC[glibcxx]})" in info
    assert all(package in info for package in DESKTOP_PACKAGES)
    contents = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in (
        "./opt/jixiao-ziping/jixiao-ziping",
        "./opt/jixiao-ziping/jxzp",
        "./usr/share/applications/jixiao-ziping.desktop",
        "./usr/share/mime/packages/jixiao-ziping.xml",
        "./usr/share/icons/hicolor/256x256/apps/jixiao-ziping.png",
        "./usr/bin/jixiao-ziping",
    ):
        assert path in contents, path
    assert deb.stat().st_size < 60e6
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    desktop = (root / "usr/share/applications/jixiao-ziping.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=绩效自评助手" in desktop and "MimeType=application/x-jxzp;" in desktop
    assert "Exec=/opt/jixiao-ziping/jixiao-ziping %f" in desktop
    mime = (root / "usr/share/mime/packages/jixiao-ziping.xml").read_text(encoding="utf-8")
    assert '<glob pattern="*.jxzp"/>' in mime
    _exercise(root / "opt" / "jixiao-ziping", tmp_path / "home")


def test_old_glibc_bundle_needs_nothing_above_glibc_2_28(tmp_path):
    """The bundle for UOS 20 and Kylin V10 (`installer/build.py --glibc 2.28`): no file of it asks
    for a glibc symbol above GLIBC_2.28 or a libstdc++ one above GLIBCXX_3.4.25, its .deb depends
    on what was measured, and it exports and shows its window here. Building it takes a Python
    compiled for glibc 2.28 (installer/linux/build_python.sh, 15 minutes here), which CI does not
    do: where it has not been built, this test says so and skips."""
    from installer.linux import glibc228

    bundle = glibc228.BUNDLE
    debs = sorted(glibc228.BUILD.glob("jixiao-ziping_*_amd64.deb"))
    if not (bundle / "jixiao-ziping").exists() or not debs:
        pytest.skip(
            f"no glibc 2.28 bundle in {glibc228.BUILD}: build it with `sh installer/linux/build_python.sh` "
            "and `.venv/bin/python installer/build.py --glibc 2.28`"
        )
    require("binutils", "objdump")
    from installer.linux.deb import GLIBCXX_GCC, symbol_versions

    glibc, glibcxx = symbol_versions(bundle)
    assert (2, 17) <= glibc <= (2, 28) and 21 <= glibcxx <= 25, (glibc, glibcxx)
    require("dpkg", "dpkg-deb")
    info = subprocess.run(["dpkg-deb", "--info", str(debs[-1])], capture_output=True, text=True, check=True).stdout
    assert f"Depends: libc6 (>= {'.'.join(map(str, glibc))}), libstdc++6 (>= {GLIBCXX_GCC[glibcxx]})" in info
    _exercise(bundle, tmp_path / "home")


def test_windows_installer_script_compiles(tmp_path):
    makensis = require("nsis", "makensis")
    standin = tmp_path / "bundle"
    (standin / "_internal" / "resources").mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "icon.ico", standin / "_internal" / "resources" / "icon.ico")
    (standin / "jixiao-ziping.exe").write_bytes(b"stand-in for the PyInstaller program")
    r = subprocess.run(
        [
            makensis,
            "-V2",
            f"-DBUNDLE={standin}",
            f"-DOUTDIR={tmp_path}",
            str(ROOT / "installer" / "windows" / "jxzp.nsi"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert (tmp_path / "绩效自评助手-安装程序.exe").stat().st_size > 50_000
