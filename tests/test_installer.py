"""Installers (slow): build the Linux bundle and the .deb, run what was built offline and
offscreen, type pinyin into the bundled window through fcitx5, compile the Windows installer
script with makensis, and install and uninstall it silently under wine."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.helpers import pdf as pdf_text
from tests.helpers.tools import REQUIRED, require

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
    # A filled-in 自评表 with a picture on it (a seal, a logo) imports: the bundle has no Pillow, so
    # openpyxl leaves the picture unread (installer/no_pillow.py) and the cells come in.
    from openpyxl.drawing.image import Image as Picture

    book = openpyxl.load_workbook(xlsx)
    book["自评表"].add_image(Picture(str(ROOT / "resources" / "icon.png")), "H2")
    book.save(home / "with-picture.xlsx")
    imported = home / "imported.json"
    r = subprocess.run(
        [str(program_dir / "jxzp"), "import", str(home / "with-picture.xlsx"), "--json", str(imported)],
        env=_clean_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    example_name = json.loads(example.read_text(encoding="utf-8"))["project"]["name"]
    assert json.loads(imported.read_text(encoding="utf-8"))["project"]["name"] == example_name
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
    # 116.9 MB measured on Debian 12 with PySide6 6.12, GTK 3 installed (libgtk-3-0): 125.8 with
    # Pillow (6.6 MB), Qt's Wayland client (2.0) and lxml's builder and sax (0.3), 159.1 before ICU's
    # data was trimmed (32.0 → 5.6 MB) and WenQuanYi Zen Hei shipped as its face 0 (16.8 → 11.2 MB).
    # Issue 20 asks for 120, hoped for 100: what remains is Qt, its ICU and PySide6 (57.9 MB), the
    # four fonts (28.9), pdfium (7.1), lxml (5.5), libpython (5.7), the program (4.6), sqlite (1.4).
    assert size < 118e6, size / 1e6
    # Only libraries something in the bundle loads: no GTK, Pango or ATK for Qt's dropped GTK theme
    # plugin, no EglFS integration, no Wayland client, no Pillow, and the command line is a link to
    # the one program.
    names = [p.name for p in (bundle / "_internal").iterdir()]
    unwanted = ("libgtk", "libgdk", "libatk", "libpango", "libQt6EglFS", "libQt6Wayland", "PIL", "pillow")
    assert not [n for n in names if n.startswith(unwanted)], names
    assert not [p for p in bundle.rglob("*") if "wayland" in p.name.lower()]
    assert (bundle / "jxzp").is_symlink()
    # The highest glibc and libstdc++ symbol versions any file asks for (objdump -T). Built on
    # Debian 12 with this Python and PySide6 6.12: glibc 2.35 (libpython), GLIBCXX 3.4.29 (Qt).
    from installer.linux.deb import symbol_versions

    glibc, glibcxx = symbol_versions(bundle)
    assert glibc <= (2, 35) and glibcxx <= 29, (glibc, glibcxx)
    assert (bundle / "_internal" / "resources" / "fonts" / "wqy-zenhei.ttf").exists()
    translations = [p.name for p in bundle.rglob("*.qm")]
    assert "qtbase_zh_CN.qm" in translations and not [t for t in translations if "zh_CN" not in t]
    assert not list(bundle.rglob("*QtQml*")) and not list(bundle.rglob("*pytest*"))
    _exercise(bundle, tmp_path / "home")


#: The ICU functions Qt may call (installer/icu_data.py trims ICU's data to what these read).
ICU_CALLS = re.compile(
    r"^(ucol_|ucnv_|UCNV_(FROM|TO)_U_CALLBACK_|u_strTo(Upper|Lower)_|ucal_(open|close|getCanonicalTimeZoneID|getTimeZoneDisplayName)_)"
)


def _icu_imports(bundle: Path) -> set[str]:
    """Every ICU symbol a file of the bundle other than ICU itself imports (objdump -T)."""
    from installer.linux.deb import _elf_files

    found = set()
    for path in _elf_files(bundle):
        if path.name.startswith("libicu"):
            continue
        out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        found |= {m for m in re.findall(r"\*UND\*.*\s(\S+)$", out, re.M) if re.search(r"_\d\d$|icu_\d\d", m)}
    return found


def test_bundled_icu_data_is_trimmed_and_answers_as_qts_own(built):
    """ICU's data library in the bundle holds only what Qt can ask for (installer/icu_data.py):
    the functions Qt calls are the ones the trimming was worked out for, and through them Chinese
    and English collation (pinyin order, numeric file names), the GB18030, GBK, GB2312 and Big5
    converters, case mapping by locale, time-zone names and line breaking answer exactly as with
    PySide6's full data. Japanese, Korean and HKSCS converters are what was given up."""
    bundle, _deb = built
    calls = _icu_imports(bundle)
    assert calls and all(ICU_CALLS.match(c) for c in calls), sorted(c for c in calls if not ICU_CALLS.match(c))
    [library] = [p for p in (bundle / "_internal").rglob("libicudata.so.*") if not p.is_symlink()]
    assert library.stat().st_size < 7e6, library.stat().st_size  # 32 MB as PySide6 ships it
    import PySide6

    from installer.icu_data import package_of, soname

    [original] = (Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*")
    assert soname(library) == soname(original) and package_of(library)[0] == package_of(original)[0]

    probe = [sys.executable, str(ROOT / "tests" / "helpers" / "icu_probe.py")]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    full = json.loads(subprocess.run(probe, env=env, capture_output=True, text=True, check=True, timeout=120).stdout)
    env["LD_PRELOAD"] = str(library)
    trimmed = json.loads(subprocess.run(probe, env=env, capture_output=True, text=True, check=True, timeout=120).stdout)
    assert trimmed["icu_data_library"] == [str(library)] and full["icu_data_library"] != [str(library)]
    assert trimmed["zh_sort"][:4] == ["阿强", "曾巩", "单雄信", "绩效"]  # pinyin: a, c(éng), d, j
    assert trimmed["zh_numeric"].index("文件9") < trimmed["zh_numeric"].index("文件10")
    assert trimmed["tz_zh"] == "中国标准时间" and trimmed["tz_en"] == "China Standard Time"
    assert trimmed["tr_upper"] == "İSTANBUL"
    given_up = {"Shift_JIS", "EUC-KR", "Big5-HKSCS"}
    assert {name for name, valid in trimmed["codecs"].items() if not valid} == given_up
    assert all(full["codecs"].values())
    for key in full:
        if key not in ("codecs", "available_codecs", "icu_data_library"):
            assert trimmed[key] == full[key], key
    assert "GB18030" in trimmed["available_codecs"] and "Big5" in trimmed["available_codecs"]


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
    # 39.2 MB measured (xz with its x86 filter, installer/linux/deb.py; dpkg-deb -Zxz made 41.7 of the
    # same bundle, 43.8 before Pillow and Wayland left it); issue 20 wants 40.
    assert deb.stat().st_size < 40e6, deb.stat().st_size / 1e6
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    desktop = (root / "usr/share/applications/jixiao-ziping.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=绩效自评助手" in desktop and "MimeType=application/x-jxzp;" in desktop
    assert "Exec=/opt/jixiao-ziping/jixiao-ziping %f" in desktop
    mime = (root / "usr/share/mime/packages/jixiao-ziping.xml").read_text(encoding="utf-8")
    assert '<glob pattern="*.jxzp"/>' in mime
    _exercise(root / "opt" / "jixiao-ziping", tmp_path / "home")


def test_bundled_window_takes_pinyin_through_fcitx5(built, tmp_path):
    """Typed as in tests/test_chinese_input.py, on a fcitx5 desktop that sets no QT_IM_MODULE:
    the bundle's own Qt ibus plugin reaches fcitx5 (gui/input_method.py)."""
    from tests.helpers.fcitx import typed_report

    bundle, _deb = built
    report = typed_report(
        tmp_path,
        [str(bundle / "jixiao-ziping")],
        {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "xcb", "XMODIFIERS": "@im=fcitx"},
    )
    assert (report.project.name, report.team[0].name) == ("你好", "张三")


def test_bundled_window_prints_to_a_pdf_file_through_xwayland(built, tmp_path):
    """The bundled window on an X server as a Wayland desktop that sets QT_QPA_PLATFORM=wayland
    starts it: the bundle has no Wayland plugin, so it comes up through xcb (XWayland here is
    Xvfb). Ctrl+P, then Enter in Qt's print dialog, as a user: with no printer installed Qt offers
    its PDF file printer (~/print.pdf), and the report's own pages land there. Printing, like the
    exports, needs no Pillow (installer/no_pillow.py)."""
    from core.store.storage_format import write_new_document
    from tests.conftest import load_seed
    from tests.helpers.fcitx import wait_for, x_desktop

    bundle, _deb = built
    home = tmp_path / "home"
    home.mkdir()
    document = home / "报告.jxzp"
    write_new_document(document, load_seed("000"))
    out = home / "print.pdf"
    log = tmp_path / "window.log"
    with x_desktop(tmp_path / "desktop") as desktop:
        env = {
            **_clean_env(home),
            "QT_QPA_PLATFORM": "wayland",
            "WAYLAND_DISPLAY": "wayland-0",
            "DISPLAY": desktop.env["DISPLAY"],
        }
        with open(log, "wb") as printed:
            window = subprocess.Popen(
                [str(bundle / "jixiao-ziping"), str(document)], env=env, cwd=home, stdout=printed, stderr=printed
            )
        try:
            desktop.focus_window_of(window)
            desktop.keys("ctrl+p")
            desktop.focus_window_of(window, "--all", "--pid", str(window.pid), "--name", "^打印$")  # the dialog
            desktop.keys("Return")  # Qt's print dialog: 打印 to the file printer it offers
            wait_for(lambda: out.exists() and not list(home.glob(".print.pdf.*.tmp")), "~/print.pdf", window)
            window.send_signal(signal.SIGINT)
            window.wait(timeout=60)
        finally:
            if window.poll() is None:
                window.kill()
                window.wait()
    text = log.read_text(encoding="utf-8", errors="replace")
    assert window.returncode == 0 and "Traceback" not in text, text
    assert pdf_text.page_count(out) >= 8 and "项目支出绩效自评报告" in pdf_text.compact(out)


def test_old_glibc_bundle_needs_nothing_above_glibc_2_28(tmp_path):
    """The bundle for UOS 20 and Kylin V10 (`installer/build.py --glibc 2.28`): no file of it asks
    for a glibc symbol above GLIBC_2.28 or a libstdc++ one above GLIBCXX_3.4.25, its .deb depends
    on what was measured, and it exports and shows its window here. Building it takes a Python
    compiled for glibc 2.28 (installer/linux/build_python.sh, 15 minutes here), which .ci/run
    does before the tests: where it has not been built, this test says so and skips (fails under
    JXZP_REQUIRE_TOOLS=1, as in CI)."""
    from installer.linux import glibc228

    bundle = glibc228.BUNDLE
    debs = sorted(glibc228.BUILD.glob("jixiao-ziping_*_amd64.deb"))
    if not (bundle / "jixiao-ziping").exists() or not debs:
        message = (
            f"no glibc 2.28 bundle in {glibc228.BUILD}: build it with `sh installer/linux/build_python.sh` "
            "and `python3 installer/build.py --glibc 2.28`"
        )
        if REQUIRED:
            pytest.fail(f"{message}; JXZP_REQUIRE_TOOLS=1 requires it")
        pytest.skip(message)
    require("binutils", "objdump")
    from installer.linux.deb import GLIBCXX_GCC, symbol_versions

    glibc, glibcxx = symbol_versions(bundle)
    assert (2, 17) <= glibc <= (2, 28) and 21 <= glibcxx <= 25, (glibc, glibcxx)
    require("dpkg", "dpkg-deb")
    info = subprocess.run(["dpkg-deb", "--info", str(debs[-1])], capture_output=True, text=True, check=True).stdout
    assert f"Depends: libc6 (>= {'.'.join(map(str, glibc))}), libstdc++6 (>= {GLIBCXX_GCC[glibcxx]})" in info
    _exercise(bundle, tmp_path / "home")


def _installer(tmp_path: Path, *defines: str) -> Path:
    """The NSIS installer compiled by makensis around a stand-in for the Windows bundle (PyInstaller
    cannot build that on Linux): the program's name, its icon, and a data file inside _internal."""
    makensis = require("nsis", "makensis")
    standin = tmp_path / "bundle"
    (standin / "_internal" / "resources").mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "icon.ico", standin / "_internal" / "resources" / "icon.ico")
    (standin / "_internal" / "resources" / "example.json").write_text("{}", encoding="utf-8")
    (standin / "jixiao-ziping.exe").write_bytes(b"stand-in for the PyInstaller program")
    r = subprocess.run(
        [
            makensis,
            "-V2",
            *(f"-D{d}" for d in defines),
            f"-DBUNDLE={standin}",
            f"-DOUTDIR={tmp_path}",
            str(ROOT / "installer" / "windows" / "jxzp.nsi"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    installer = tmp_path / "绩效自评助手-安装程序.exe"
    assert installer.stat().st_size > 50_000
    return installer


def test_windows_installer_script_compiles(tmp_path):
    _installer(tmp_path)


def _wine_env(tmp_path: Path) -> dict:
    """A fresh wine prefix of this test's own, no display, no menu entries or desktop files
    written into the real home (winemenubuilder off; HOME is the test's)."""
    home = tmp_path / "home"
    home.mkdir()
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "WINEPREFIX": str(tmp_path / "prefix"),
        "WINEARCH": "win64",
        "WINEDEBUG": "-all",
        # no Mono or Gecko download prompt, no .desktop files for the shortcuts
        "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d",
    }


def _wine(env: dict, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run(["wine", *args], env=env, capture_output=True, text=True, timeout=timeout)


def _registry(env: dict, key: str, tmp_path: Path) -> str | None:
    """The key as ``wine reg export`` writes it (UTF-16, so the Chinese names survive, which
    ``reg query`` prints as ? through a pipe); None when the key does not exist."""
    out = tmp_path / "key.reg"
    out.unlink(missing_ok=True)
    r = _wine(env, "reg", "export", key, "Z:" + str(out).replace("/", "\\"), "/y")
    return out.read_text(encoding="utf-16") if r.returncode == 0 and out.exists() else None


def test_windows_installer_installs_and_uninstalls_under_wine(tmp_path):
    """The installer, built for amd64 (wine64; the program it installs is 64-bit only), run silently
    as a user would with /S: the program in %LOCALAPPDATA%\\Programs\\绩效自评助手, the Start menu
    and desktop shortcuts, the .jxzp association under HKCU\\Software\\Classes, the Programs and
    Features entry; then the uninstaller with /S removes all of that and leaves the user's
    documents and settings. The program is a stand-in: this proves the installer, not the bundle."""
    require("nsis", "makensis")
    require("wine wine64", "wine")
    installer = _installer(tmp_path, "TARGET=amd64-unicode")
    env = _wine_env(tmp_path)
    try:
        r = _wine(env, "wineboot", "--init", timeout=300)
        assert r.returncode == 0, r.stderr
        users = Path(env["WINEPREFIX"]) / "drive_c" / "users"
        user = next(p for p in users.iterdir() if p.name != "Public")
        program = user / "AppData" / "Local" / "Programs" / "绩效自评助手"
        r = _wine(env, str(installer), "/S")
        assert r.returncode == 0, r.stderr
        assert (program / "jixiao-ziping.exe").read_bytes() == b"stand-in for the PyInstaller program"
        assert (program / "_internal" / "resources" / "example.json").exists()
        uninstaller = program / "卸载绩效自评助手.exe"
        assert uninstaller.exists()
        start_menu = user / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "绩效自评助手"
        assert sorted(p.name for p in start_menu.iterdir()) == ["卸载绩效自评助手.lnk", "绩效自评助手.lnk"]
        desktop = user / "Desktop" / "绩效自评助手.lnk"  # wine links Desktop to $HOME
        assert desktop.exists()
        windows_path = "C:\\\\users\\\\" + user.name + "\\\\AppData\\\\Local\\\\Programs\\\\绩效自评助手"
        extension = _registry(env, r"HKCU\Software\Classes\.jxzp", tmp_path)
        assert extension and '@="jixiao-ziping.document"' in extension, extension
        document = _registry(env, r"HKCU\Software\Classes\jixiao-ziping.document", tmp_path)
        assert document and '@="绩效自评文档"' in document, document
        assert f'@="\\"{windows_path}\\\\jixiao-ziping.exe\\" \\"%1\\""' in document, document
        uninstall_key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\jixiao-ziping"
        entry = _registry(env, uninstall_key, tmp_path)
        assert entry and '"DisplayName"="绩效自评助手"' in entry, entry

        # The user's work, which the uninstaller must leave alone.
        documents = user / "Documents" / "绩效自评"
        documents.mkdir(parents=True)
        (documents / "2024年度自评.jxzp").write_bytes(b"a document")
        settings = user / "AppData" / "Local" / "jixiao-ziping"
        settings.mkdir(parents=True)
        (settings / "settings.json").write_text("{}", encoding="utf-8")

        r = _wine(env, str(uninstaller), "/S")
        assert r.returncode == 0, r.stderr
        # NSIS's uninstaller copies itself to %TEMP% and removes the folder from there: wait for it.
        subprocess.run(["wineserver", "-w"], env=env, timeout=180, check=True)
        assert not program.exists()
        assert not start_menu.exists() and not desktop.exists()
        assert _registry(env, r"HKCU\Software\Classes\.jxzp", tmp_path) is None
        assert _registry(env, r"HKCU\Software\Classes\jixiao-ziping.document", tmp_path) is None
        assert _registry(env, uninstall_key, tmp_path) is None
        assert (documents / "2024年度自评.jxzp").read_bytes() == b"a document"
        assert (settings / "settings.json").exists()
    finally:
        subprocess.run(["wineserver", "-k"], env=env, timeout=60, capture_output=True)
