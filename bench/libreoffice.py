"""Our PDF beside LibreOffice's on the same content (issue 19): a report of about 64 pages with a
120-row scoring table, as report JSON for us and as the .docx we export for LibreOffice; each
converted to PDF in a new process, run after run, medians of ``repeat``. A ratio, not a threshold:
LibreOffice is what a unit would otherwise use to print the same report.
"""

from __future__ import annotations

import os
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


def _run(command: list[str], **options) -> tuple[float, float]:
    """Run a process to its end: (wall seconds, CPU seconds of it and the children it waited for).
    CPU beside wall, because the machine may be shared: CPU time is what the work costs."""
    t = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **options)
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
    else:  # pragma: no cover - Windows
        proc.wait()
        cpu = float("nan")
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, command)
    return time.perf_counter() - t, cpu


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
    ours, ours_cpu = [], []
    for i in range(repeat):
        out = folder / f"ours{i}.pdf"
        wall, cpu = _run([sys.executable, str(ROOT / "main.py"), "export", str(source), "--pdf", str(out)], env=env)
        ours.append(wall)
        ours_cpu.append(cpu)
    result = {
        "pages": page_count(folder / "ours0.pdf"),
        "ours_ms": _median_ms(ours),
        "ours_cpu_ms": _median_ms(ours_cpu),
    }
    program = soffice()
    if program is None:
        return result | {"libreoffice_ms": None, "libreoffice_cpu_ms": None, "ratio": None, "cpu_ratio": None}
    profile = (folder / "lo-profile").as_uri()
    command = [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    theirs, theirs_cpu = [], []
    for i in range(repeat + 1):  # the first run creates the profile: not counted
        wall, cpu = _run([*command, "--outdir", str(folder / f"lo{i}"), str(docx)])
        if i:
            theirs.append(wall)
            theirs_cpu.append(cpu)
    result["libreoffice_pages"] = page_count(folder / "lo1" / "big.pdf")
    result["libreoffice_ms"] = _median_ms(theirs)
    result["libreoffice_cpu_ms"] = _median_ms(theirs_cpu)
    result["ratio"] = round(result["ours_ms"] / result["libreoffice_ms"], 3)
    result["cpu_ratio"] = round(result["ours_cpu_ms"] / result["libreoffice_cpu_ms"], 3)
    return result
