"""Build the bundle for this OS, and its installer: ``python installer/build.py``.

Linux: build/dist/jixiao-ziping (the bundle) and build/jixiao-ziping_<version>_amd64.deb.
Windows: build/dist/jixiao-ziping and, when makensis is installed, build/绩效自评助手-安装程序.exe.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = BUILD / "dist"
BUNDLE = DIST / "jixiao-ziping"


def bundle() -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "work"),
            str(ROOT / "installer" / "jxzp.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    if not sys.platform == "win32":
        # The command line is the same program as the window off Windows (main.py decides by its
        # arguments): a link instead of a second 4.6 MB copy of the same bootloader.
        cli = BUNDLE / "jxzp"
        cli.unlink()
        cli.symlink_to("jixiao-ziping")
    return BUNDLE


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> None:
    parser = argparse.ArgumentParser(description="打包绩效自评助手")
    parser.add_argument("--skip-bundle", action="store_true", help="reuse build/dist/jixiao-ziping")
    args = parser.parse_args()
    if not args.skip_bundle:
        bundle()
    print(f"bundle: {BUNDLE} ({folder_size(BUNDLE) / 1e6:.1f} MB unpacked)")
    if sys.platform.startswith("linux"):
        from installer.linux.deb import build_deb

        deb = build_deb(BUNDLE, BUILD)
        print(f"deb: {deb} ({deb.stat().st_size / 1e6:.1f} MB)")
    elif sys.platform == "win32":
        if shutil.which("makensis"):
            from core import __version__

            subprocess.run(
                [
                    "makensis",
                    f"/DBUNDLE={BUNDLE}",
                    f"/DOUTDIR={BUILD}",
                    f"/DVERSION={__version__}",
                    str(ROOT / "installer" / "windows" / "jxzp.nsi"),
                ],
                check=True,
            )
        else:
            print("makensis not found: the installer was not built")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
