"""Our PDF beside LibreOffice's on the same content (issue 19): a report of about 64 pages with a
120-row scoring table, as report JSON for us and as the .docx we export for LibreOffice; each
converted to PDF in a new process, run after run, medians of ``repeat``. A ratio, not a threshold:
LibreOffice is what a unit would otherwise use to print the same report.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.reports import synthetic_report

ROOT = Path(__file__).resolve().parent.parent
#: Narrative pages of the synthetic report that, with its tables, make about 64 PDF pages.
NARRATIVE_PAGES = 41
LEAVES = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def page_count(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def side_by_side(scratch: Path, env: dict, repeat: int) -> dict:
    """``{"pages", "ours_ms", "libreoffice_ms", "ratio"}``; LibreOffice's figures are None where it
    is not installed. Ours is a new ``main.py export --pdf`` process each run with no warm-up (what
    a user waits for); LibreOffice gets one warm-up run to create its profile, then the same."""
    from core.export.docx import export_docx
    from core.store.jsonio import write_json

    folder = scratch / "libreoffice"
    folder.mkdir()
    report = synthetic_report(LEAVES, pages=NARRATIVE_PAGES)
    source, docx = folder / "big.json", folder / "big.docx"
    write_json(source, report)
    export_docx(report, docx)
    ours = []
    for i in range(repeat):
        out = folder / f"ours{i}.pdf"
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "export", str(source), "--pdf", str(out)],
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
        ours.append(time.perf_counter() - t)
    result = {"pages": page_count(folder / "ours0.pdf"), "ours_ms": _median_ms(ours)}
    program = soffice()
    if program is None:
        return result | {"libreoffice_ms": None, "ratio": None}
    profile = (folder / "lo-profile").as_uri()
    command = [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    theirs = []
    for i in range(repeat + 1):  # the first run creates the profile: not counted
        outdir = folder / f"lo{i}"
        t = time.perf_counter()
        subprocess.run([*command, "--outdir", str(outdir), str(docx)], check=True, capture_output=True, timeout=600)
        if i:
            theirs.append(time.perf_counter() - t)
    result["libreoffice_pages"] = page_count(folder / "lo1" / "big.pdf")
    result["libreoffice_ms"] = _median_ms(theirs)
    result["ratio"] = round(result["ours_ms"] / result["libreoffice_ms"], 3)
    return result
