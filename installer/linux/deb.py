"""The Debian package: the bundle in /opt/jixiao-ziping, a desktop entry with the Chinese name,
the .jxzp MIME type (double-click opens a document) and the icon. Removing the package leaves
the user's documents and settings alone (they live in the user's folders, never in /opt)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from core import __version__ as VERSION

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE = "jixiao-ziping"
HERE = Path(__file__).resolve().parent

# What every part of the bundle links that is not in it, besides glibc and libstdc++ (whose
# minimum versions are measured from the bundle itself, see depends()): the desktop libraries Qt's
# window needs (one list with main.py's message, gui/system_libs.py) and printing. No Wayland
# library: the bundle has no Wayland client (installer/jxzp.spec), nothing in it links one.
OTHER_DEPENDS = ["libgcc-s1", "zlib1g", "libcups2"]

# GLIBCXX_3.4.N → the GCC release whose libstdc++ first had it (Debian versions libstdc++6 by GCC).
GLIBCXX_GCC = {21: "5", 22: "6", 23: "7", 24: "7.2", 25: "8", 26: "9", 27: "9.2", 28: "9.3", 29: "11",
               30: "12", 31: "13", 32: "13.2", 33: "14"}  # fmt: skip


def _elf_files(bundle: Path):
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    yield path


def symbol_versions(bundle: Path) -> tuple[tuple[int, ...], int]:
    """The highest GLIBC_x.y and GLIBCXX_3.4.N any file of the bundle asks for (objdump -T)."""
    glibc: tuple[int, ...] = (0,)
    glibcxx = 0
    for path in _elf_files(bundle):
        out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        for version in re.findall(r"\bGLIBC_(\d+(?:\.\d+)+)\b", out):
            glibc = max(glibc, tuple(int(n) for n in version.split(".")))
        for minor in re.findall(r"\bGLIBCXX_3\.4\.(\d+)\b", out):
            glibcxx = max(glibcxx, int(minor))
    return glibc, glibcxx


def depends(bundle: Path) -> str:
    """The Depends line, from what the bundle was measured to need."""
    from gui.system_libs import DESKTOP_PACKAGES

    glibc, glibcxx = symbol_versions(bundle)
    found = [f"libc6 (>= {'.'.join(map(str, glibc))})"]
    if glibcxx:
        gcc = GLIBCXX_GCC.get(glibcxx, str(max(GLIBCXX_GCC.values(), key=float)))
        found.append(f"libstdc++6 (>= {gcc})")
    return ", ".join(dict.fromkeys([*found, *OTHER_DEPENDS, *DESKTOP_PACKAGES]))


CONTROL = f"""Package: {PACKAGE}
Version: {VERSION}
Section: office
Priority: optional
Architecture: amd64
Maintainer: 绩效自评助手 <noreply@localhost>
Depends: {{depends}}
Recommends: fontconfig, cups-client
Installed-Size: {{size}}
Description: 绩效自评助手 - project-expenditure performance self-evaluation
 An offline desktop application for county and district finance staff to
 write their annual project-expenditure performance self-evaluation
 (项目支出绩效自评), check every figure as it is typed, and print an Excel
 table and a PDF report. It never opens a network connection.
"""

# After install and removal: refresh the MIME, desktop and icon caches (never the user's files).
POSTINST = """#!/bin/sh
set -e
command -v update-mime-database >/dev/null 2>&1 && update-mime-database /usr/share/mime || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
exit 0
"""


def build_deb(bundle: Path, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="jxzp-deb-") as tmp:
        root = Path(tmp) / "root"
        shutil.copytree(bundle, root / "opt" / PACKAGE, symlinks=True)
        bin_dir = root / "usr" / "bin"
        bin_dir.mkdir(parents=True)
        (bin_dir / PACKAGE).symlink_to(f"/opt/{PACKAGE}/{PACKAGE}")
        (bin_dir / "jxzp").symlink_to(f"/opt/{PACKAGE}/jxzp")
        share = root / "usr" / "share"
        (share / "applications").mkdir(parents=True)
        shutil.copy(HERE / f"{PACKAGE}.desktop", share / "applications" / f"{PACKAGE}.desktop")
        (share / "mime" / "packages").mkdir(parents=True)
        shutil.copy(HERE / f"{PACKAGE}.xml", share / "mime" / "packages" / f"{PACKAGE}.xml")
        for kind, name in (("apps", PACKAGE), ("mimetypes", "application-x-jxzp")):
            icons = share / "icons" / "hicolor" / "256x256" / kind
            icons.mkdir(parents=True)
            shutil.copy(ROOT / "resources" / "icon.png", icons / f"{name}.png")
        doc = share / "doc" / PACKAGE
        doc.mkdir(parents=True)
        shutil.copy(ROOT / "README.md", doc / "README.md")
        debian = root / "DEBIAN"
        debian.mkdir()
        size_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
        control = CONTROL.replace("{size}", str(size_kb)).replace("{depends}", depends(bundle))
        (debian / "control").write_text(control, encoding="utf-8")
        for script in ("postinst", "postrm"):
            path = debian / script
            path.write_text(POSTINST, encoding="utf-8")
            path.chmod(0o755)
        out_dir.mkdir(parents=True, exist_ok=True)
        deb = out_dir / f"{PACKAGE}_{VERSION}_amd64.deb"
        plain = Path(tmp) / "plain.deb"
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Znone", "--build", str(root), str(plain)],
            check=True,
            capture_output=True,
        )
        members = dict(read_ar(plain.read_bytes()))
        deb.write_bytes(
            write_ar(
                [
                    ("debian-binary", members["debian-binary"]),
                    ("control.tar.xz", _xz(members["control.tar"])),
                    ("data.tar.xz", _xz(members["data.tar"], *DATA_XZ)),
                ]
            )
        )
        return deb


#: The program's files compressed as dpkg-deb -Zxz does, but with xz's x86 filter before LZMA2 at
#: preset 9 (64 MB dictionary, the whole bundle in one block): the filter turns the relative
#: call and jump addresses of x86 code into absolute ones, which repeat. Measured on the bundle of
#: 117.2 MB: 41.7 MB with dpkg-deb's default (-z6), 41.0 with -z9, 41.0 with -z9 -Sextreme, 39.2
#: with this. dpkg (any version since xz support, 1.15.6) reads it with liblzma, which decodes
#: every filter xz writes; dpkg-deb cannot write it, so the package is put together here.
DATA_XZ = ("--x86", "--lzma2=preset=9")


def _xz(data: bytes, *options: str) -> bytes:
    return subprocess.run(["xz", "-c", "-T1", *options], input=data, capture_output=True, check=True).stdout


def read_ar(data: bytes) -> list[tuple[str, bytes]]:
    """The members of an ar archive as dpkg-deb writes it (names of up to 16 characters)."""
    if not data.startswith(b"!<arch>\n"):
        raise ValueError("not an ar archive")
    members, at = [], 8
    while at < len(data):
        header = data[at : at + 60]
        name, size = header[:16].decode("ascii").rstrip().rstrip("/"), int(header[48:58])
        members.append((name, data[at + 60 : at + 60 + size]))
        at += 60 + size + size % 2
    return members


def write_ar(members: list[tuple[str, bytes]]) -> bytes:
    """A .deb's ar archive, as dpkg-deb writes it: owner root, mode 644, members in this order."""
    out = bytearray(b"!<arch>\n")
    for name, data in members:
        out += f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode("ascii")
        out += data + b"\n" * (len(data) % 2)
    return bytes(out)
