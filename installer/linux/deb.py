"""The Debian package: the bundle in /opt/jixiao-ziping, a desktop entry with the Chinese name,
the .jxzp MIME type (double-click opens a document) and the icon. Removing the package leaves
the user's documents and settings alone (they live in the user's folders, never in /opt)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from core import __version__ as VERSION

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE = "jixiao-ziping"
HERE = Path(__file__).resolve().parent

DEPENDS = ", ".join(
    [
        "libc6 (>= 2.36)",
        "libstdc++6",
        "libgcc-s1",
        "zlib1g",
        "libegl1",
        "libgl1",
        "libopengl0",
        "libfontconfig1",
        "libfreetype6",
        "libglib2.0-0",
        "libdbus-1-3",
        "libxkbcommon0",
        "libxkbcommon-x11-0",
        "libx11-xcb1",
        "libxcb-cursor0",
        "libxcb-icccm4",
        "libxcb-keysyms1",
        "libxcb-shape0",
        "libxcb-randr0",
        "libxcb-render-util0",
        "libxcb-image0",
        "libxcb-xinerama0",
        "libxcb-xkb1",
        "libwayland-client0",
        "libwayland-cursor0",
        "libwayland-egl1",
        "libcups2",
    ]
)

CONTROL = f"""Package: {PACKAGE}
Version: {VERSION}
Section: office
Priority: optional
Architecture: amd64
Maintainer: 绩效自评助手 <noreply@localhost>
Depends: {DEPENDS}
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
        (debian / "control").write_text(CONTROL.replace("{size}", str(size_kb)), encoding="utf-8")
        for script in ("postinst", "postrm"):
            path = debian / script
            path.write_text(POSTINST, encoding="utf-8")
            path.chmod(0o755)
        out_dir.mkdir(parents=True, exist_ok=True)
        deb = out_dir / f"{PACKAGE}_{VERSION}_amd64.deb"
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)], check=True, capture_output=True
        )
        return deb
