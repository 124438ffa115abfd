"""Build the bundle for this OS, and its installer: ``python installer/build.py``.

Linux: build/dist/jixiao-ziping (the bundle) and build/jixiao-ziping_<version>_amd64.deb.
Windows: build/dist/jixiao-ziping and, when makensis is installed, build/绩效自评助手-安装程序.exe.
``--glibc 2.28`` (Linux x86_64): the same for UOS 20 and Kylin V10, in build/glibc228/ (see
installer/linux/glibc228.py).
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


def bundle(python: str = sys.executable, build: Path = BUILD) -> Path:
    """PyInstaller with ``python`` (whose packages are bundled) into ``build``/dist; the folder."""
    dist = build / "dist"
    subprocess.run(
        [
            python,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(build / "work"),
            str(ROOT / "installer" / "jxzp.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    folder = dist / "jixiao-ziping"
    if not sys.platform == "win32":
        # The command line is the same program as the window off Windows (main.py decides by its
        # arguments): a link instead of a second 4.6 MB copy of the same bootloader.
        cli = folder / "jxzp"
        cli.unlink()
        cli.symlink_to("jixiao-ziping")
    return folder


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> None:
    parser = argparse.ArgumentParser(description="打包绩效自评助手")
    parser.add_argument("--skip-bundle", action="store_true", help="reuse build/dist/jixiao-ziping")
    parser.add_argument("--glibc", choices=["2.28"], help="Linux x86_64: for UOS 20 and Kylin V10, in build/glibc228")
    args = parser.parse_args()
    if args.glibc:
        from installer.linux import glibc228

        if not args.skip_bundle:
            bundle(glibc228.environment(), glibc228.BUILD)
        glibc228.check(glibc228.BUNDLE)
        build, folder = glibc228.BUILD, glibc228.BUNDLE
    else:
        if not args.skip_bundle:
            bundle()
        build, folder = BUILD, BUNDLE
    print(f"bundle: {folder} ({folder_size(folder) / 1e6:.1f} MB unpacked)")
    if sys.platform.startswith("linux"):
        from installer.linux.deb import build_deb

        deb = build_deb(folder, build)
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
