"""The bundle for glibc 2.28 (UOS 20, Kylin V10), x86_64: ``python installer/build.py --glibc 2.28``.

Built in build/glibc228/ with the Python that installer/linux/build_python.sh compiles for glibc
2.28 and PySide6 6.9.3, the newest PySide6 whose x86_64 wheels need only GLIBC_2.28 and
GLIBCXX_3.4.21 (6.10 and later are built for glibc 2.34). Every other pin is pyproject.toml's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
GLIBC = (2, 28)
GLIBCXX = 25  # the most GLIBCXX_3.4.N the bundle may ask of the system's libstdc++ (GCC 8)
# build_python.sh's folder (JXZP_GLIBC_BUILD, as for that script), where this build goes too.
BUILD = Path(os.environ.get("JXZP_GLIBC_BUILD", ROOT / "build" / "glibc228")).resolve()
BUNDLE = BUILD / "dist" / "jixiao-ziping"
PYTHON = BUILD / "python" / "bin" / "python3.11"
PYSIDE = "6.9.3"
# Wheels pip may take for that system: manylinux tags up to 2.28, nothing newer.
PLATFORMS = ["manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_26_x86_64", "manylinux_2_24_x86_64",
             "manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux_2_5_x86_64",
             "manylinux1_x86_64"]  # fmt: skip


def requirements() -> list[str]:
    """pyproject.toml's runtime pins and its PyInstaller pin, with PySide6 at PYSIDE."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [re.sub(r"^PySide6-Essentials==.*", f"PySide6-Essentials=={PYSIDE}", d) for d in project["dependencies"]]
    return pins + [d for d in project["optional-dependencies"]["test"] if d.startswith("pyinstaller==")]


def environment() -> str:
    """A virtual environment of the glibc 2.28 Python holding the product's pinned dependencies,
    all from wheels built for glibc 2.28 or older; its interpreter's path. That Python has no ssl
    module (nothing in the product needs one), so this machine's pip downloads the wheels and the
    environment's pip installs them from the folder."""
    if not PYTHON.exists():
        sys.exit(f"没有为 glibc 2.28 编译的 Python（{PYTHON}）：先运行 sh installer/linux/build_python.sh")
    wheels, venv = BUILD / "wheels", BUILD / "venv"
    pins = requirements()
    platforms = [arg for p in PLATFORMS for arg in ("--platform", p)]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", *platforms, "--python-version", "3.11",
         "--implementation", "cp", "--abi", "cp311", "-d", str(wheels), *pins],
        check=True,
    )  # fmt: skip
    if not (venv / "bin" / "python").exists():
        subprocess.run([str(PYTHON), "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-index", "--find-links", str(wheels), *pins], check=True)
    return python


def check(bundle: Path) -> None:
    """Stop the build when any file of the bundle asks for more than glibc 2.28 or GCC 8's libstdc++."""
    from installer.linux.deb import symbol_versions

    glibc, glibcxx = symbol_versions(bundle)
    print(f"needs: GLIBC_{'.'.join(map(str, glibc))}, GLIBCXX_3.4.{glibcxx}")
    if glibc > GLIBC or glibcxx > GLIBCXX:
        sys.exit(f"{bundle} asks for more than GLIBC_2.28 / GLIBCXX_3.4.{GLIBCXX}: no .deb made")
