"""Outside programs some tests prove the product against (LibreOffice, makensis, PyInstaller's
binutils). Where one is missing such a test is skipped with the program and its Debian package
named; with JXZP_REQUIRE_TOOLS=1 (set by .ci/run, which installs them) a missing one fails, so CI
cannot go green by skipping."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REQUIRED = os.environ.get("JXZP_REQUIRE_TOOLS") == "1"


def require(package: str, *programs: str) -> str:
    """The path of the first of ``programs`` on PATH; else skip (or fail under JXZP_REQUIRE_TOOLS=1)."""
    for program in programs:
        found = shutil.which(program)
        if found:
            return found
    message = f"{programs[0]} is not installed (Debian package: {package}; `apt-get install {package}`)"
    if REQUIRED:
        pytest.fail(f"{message}, and JXZP_REQUIRE_TOOLS=1 requires it")
    pytest.skip(message)


def require_file(package: str, path: Path) -> Path:
    """``path``, installed by ``package`` (a plugin, a dictionary); else skip, or fail as above."""
    if path.exists():
        return path
    message = f"{path} is missing (Debian package: {package}; `apt-get install {package}`)"
    if REQUIRED:
        pytest.fail(f"{message}, and JXZP_REQUIRE_TOOLS=1 requires it")
    pytest.skip(message)


def convert_to_pdf(soffice: str, document: Path, outdir: Path) -> subprocess.CompletedProcess:
    """``soffice --headless --convert-to pdf`` of ``document`` into ``outdir``, with a profile of
    its own there (so a test never shares LibreOffice's profile with another run)."""
    profile = outdir / "lo-profile"
    return subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(document),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
