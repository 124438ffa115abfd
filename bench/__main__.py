"""``python -m bench [--quick]``: how fast and how lean, measured the same way every time.

Prints one JSON object of medians (p50/p99 where noted), then a readable table. No thresholds:
the targets are in the README's 性能 section and in the issue; machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.libreoffice import side_by_side  # noqa: E402
from bench.reports import synthetic_report  # noqa: E402
from core.document import Document  # noqa: E402
from core.store.storage import DocumentFile  # noqa: E402
from core.store.storage_format import write_new_document  # noqa: E402

MARKER = "JXZP-WINDOW-SHOWN"
TARGETS = {
    "startup_ms": 1500,
    "recheck_ms.500": 5,
    "edit_commit_ms.p99": 20,
    "open_ms": 100,
    "xlsx_ms.500": 500,
    "pdf_ms.40p": 1000,
    "peak_rss_mb": 150,
    "startup_cold_ms": 1000,
    "window_first_pdf_ms.click_to_file": 500,
    "cli_ms.check_100": 5000,
    "window_edit_ms.500": 16,
    "cli_ms.check": 250,
}


def _ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def _timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _env(scratch: Path) -> dict:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        JXZP_CONFIG_DIR=str(scratch / "config"),
        JXZP_DOCUMENTS_DIR=str(scratch / "documents"),
        JXZP_CACHE_DIR=str(scratch / "cache"),  # the fonts' parsed tables: filled by the first PDF
        PYTHONIOENCODING="utf-8",
    )
    # An installed copy runs from compiled bytecode; without it every new process compiles each
    # module of ours again (about 0.1 s more for `check`). The checkout's __pycache__ is ignored by git.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _launch(args: list[str], env: dict) -> tuple[float, int]:
    """Start main.py as a new process; seconds until the window was shown, and its peak RSS (kB)."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args, "--exit-after-show"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    for line in proc.stdout:
        if line.startswith(MARKER):
            elapsed = time.perf_counter() - t
            rss = int(line.split("peak_rss_kb=")[1].split()[0])
            proc.wait(timeout=60)
            return elapsed, rss
    proc.wait(timeout=60)
    raise RuntimeError("the window did not report that it was shown")


WINDOW_PROBE = """
import sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from core.store.settings import Settings
from gui.main_window import MainWindow
w = MainWindow(Settings())
w.open_path(__import__('pathlib').Path(sys.argv[1]))
w.show(); app.processEvents()
w.tabs.setCurrentWidget(w.indicator_tab); app.processEvents()
samples = []
for i in range(int(sys.argv[2])):
    t = time.perf_counter()
    w.doc.set_text(('indicators', 1, 'children', 0, 'children', 0, 'actual'), str(900 + i))
    app.processEvents()
    samples.append(time.perf_counter() - t)
print(' '.join(repr(s) for s in samples))
w.close()
"""


FIRST_PDF_PROBE = """
import os, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
import gui.app
import gui.file_actions
from core.store.settings import Settings
from gui.main_window import MainWindow
w = MainWindow(Settings())
w.start([sys.argv[1]])
w.show()
QTimer.singleShot(1500, gui.app._warm_up_pdf)  # as gui.app.run does
target = Path(sys.argv[2])
gui.file_actions.ask_save = lambda *a, **k: target  # the file dialog answers at once
clicked = {}
def click():
    clicked["t"] = time.perf_counter()
    w.export_pdf_action.trigger()
    clicked["gui"] = time.perf_counter() - clicked["t"]
QTimer.singleShot(int(float(sys.argv[3]) * 1000), click)
start = time.perf_counter()
while ("t" not in clicked or w.last_export is None) and time.perf_counter() - start < 120:
    app.processEvents()
    time.sleep(0.001)
print(time.perf_counter() - clicked["t"], clicked["gui"])
sys.stdout.flush()
os._exit(0)
"""


def _evict(*folders: Path) -> None:
    """Drop the files under ``folders`` from the page cache (Linux), as after a reboot: a cold
    start without dropping every other program's pages too."""
    if not hasattr(os, "posix_fadvise"):
        return
    for folder in folders:
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                try:
                    fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                except OSError:
                    pass
                finally:
                    os.close(fd)


def run(quick: bool) -> dict:
    repeat = 3 if quick else 7
    sizes = (50, 500) if quick else (50, 500, 5000)
    pages = (10, 40) if quick else (10, 40, 100, 200)
    results: dict = {"quick": quick, "python": sys.version.split()[0], "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="jxzp-bench-") as tmp:
        scratch = Path(tmp)
        env = _env(scratch)
        _launch([], env)  # first start: creates the example document
        starts = [_launch([], env)[0] for _ in range(repeat)]
        results["startup_ms"] = _ms(starts)
        cold = []
        for _ in range(1 if quick else 3):
            _evict(ROOT, Path(sys.prefix), Path(os.__file__).parent)  # the program, Qt, Python
            cold.append(_launch([], env)[0])
        results["startup_cold_ms"] = _ms(cold)

        recheck, scratch_check = {}, {}
        for n in sizes:
            doc = Document(synthetic_report(n))
            leaf = ("indicators", 1, "children", 0, "children", 0, "actual")
            edits = iter(range(10**9))

            def after_edit(doc=doc, leaf=leaf, edits=edits):
                doc.set_value(leaf, Decimal(900 + next(edits)))  # what every edit is followed by
                doc.findings  # noqa: B018 - recheck plus totals

            def from_scratch(doc=doc):
                doc._memo.clear()  # nothing kept: as on opening a document
                doc._totals = doc._findings = None
                doc.findings  # noqa: B018 - recheck plus totals

            from_scratch()
            recheck[str(n)] = _ms(_timed(after_edit, repeat * 5))
            scratch_check[str(n)] = _ms(_timed(from_scratch, repeat * 5))
        results["recheck_ms"] = recheck
        results["recheck_from_scratch_ms"] = scratch_check

        path500 = scratch / "b500.jxzp"
        write_new_document(path500, synthetic_report(500))
        DocumentFile.open(path500).close()  # its first-open version exists
        opens = []
        for _ in range(repeat * 2):
            t = time.perf_counter()
            f = DocumentFile.open(path500)
            opens.append(time.perf_counter() - t)
            f.close()
        results["open_ms"] = _ms(opens)

        f = DocumentFile.open(path500, snapshot=False)
        commits = []
        for i in range(100 if quick else 400):
            t = time.perf_counter()
            f.document.set_text(("indicators", 1, "children", 0, "children", 0, "actual"), str(1000 + i))
            f.flush()
            commits.append(time.perf_counter() - t)
        f.close()
        results["edit_commit_ms"] = {"p50": _p(commits, 0.5), "p99": _p(commits, 0.99)}

        from core.export.fonts import load_fonts
        from core.export.pdf import build_pdf
        from core.export.xlsx import build_workbook

        load_fonts()
        xlsx = {}
        for n in sizes:
            report = synthetic_report(n)

            def workbook(report=report):
                import io

                wb, _ = build_workbook(report)
                wb.save(io.BytesIO())

            xlsx[str(n)] = _ms(_timed(workbook, 1 if n >= 5000 else repeat))
        results["xlsx_ms"] = xlsx
        pdf = {}
        for p in pages:
            report = synthetic_report(50, pages=p)
            pdf[f"{p}p"] = _ms(_timed(lambda report=report: build_pdf(report), 1 if p >= 100 else repeat))
        pdf["500leaves"] = _ms(_timed(lambda: build_pdf(synthetic_report(500)), 1))
        results["pdf_ms"] = pdf

        results["summary_ms"] = _summary_ms(scratch / "summary", 50 if quick else 200)

        window = {}
        for n in (500,) if quick else (500, 5000):
            path = scratch / f"w{n}.jxzp"
            write_new_document(path, synthetic_report(n))
            out = subprocess.run(
                [sys.executable, "-c", WINDOW_PROBE, str(path), "20"],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
            ).stdout
            samples = [float(x) for x in out.split()]
            window[str(n)] = _ms(samples[2:])
        results["window_edit_ms"] = window

        path40 = scratch / "p40.jxzp"
        write_new_document(path40, synthetic_report(50, pages=40))
        clicks, gui_parts = [], []
        for i in range(1 if quick else 3):
            out = subprocess.run(
                [sys.executable, "-c", FIRST_PDF_PROBE, str(path40), str(scratch / f"first{i}.pdf"), "3"],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
            ).stdout.split()
            clicks.append(float(out[0]))
            gui_parts.append(float(out[1]))
        results["window_first_pdf_ms"] = {"click_to_file": _ms(clicks), "gui_thread": _ms(gui_parts)}

        big = scratch / "w5000.jxzp"
        if not big.exists():
            write_new_document(big, synthetic_report(5000))
        results["peak_rss_mb"] = round(_launch([str(big)], env)[1] / 1024, 1)
        results["cli_ms"] = _cli_first_use(scratch, env, repeat)
        results["libreoffice"] = side_by_side(scratch, env, 3 if quick else 5)
    return results


def _cli_first_use(scratch: Path, env: dict, repeat: int) -> dict:
    """What a user waits for on the command line: a new process each time, fonts and all."""
    example = str(ROOT / "resources" / "example.json")
    runs = {
        "check": ["check", example],
        "pdf": ["export", example, "--pdf", str(scratch / "cli.pdf")],
        "check_100": ["check", str(_hundred_reports(scratch / "hundred"))],
    }
    out = {}
    for name, args in runs.items():
        samples = []
        for _ in range(repeat if name != "check_100" else max(1, repeat - 2)):
            t = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "main.py"), *args], env=env, capture_output=True, timeout=300)
            samples.append(time.perf_counter() - t)
        out[name] = _ms(samples)
    samples = []  # the very first PDF on a PC: no parsed fonts in the cache folder yet
    for i in range(max(1, repeat - 2)):  # one in --quick
        fresh = dict(env, JXZP_CACHE_DIR=str(scratch / f"cache-fresh-{i}"))
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *runs["pdf"]], env=fresh, capture_output=True, timeout=300
        )
        samples.append(time.perf_counter() - t)
    out["pdf_fonts_not_cached"] = _ms(samples)
    return out


def _hundred_reports(folder: Path) -> Path:
    """100 reports of 50 leaves for ``check`` of many (half .json, half .jxzp): ten made, each
    copied ten times (every file is read and checked on its own)."""
    import shutil

    from core.store.jsonio import dumps

    folder.mkdir()
    for i in range(10):
        report = synthetic_report(50, sources=5, pages=5, seed=i)
        first = folder / f"r{i:03}.json"
        first.write_text(dumps(report), encoding="utf-8")
        second = folder / f"r{i + 10:03}.jxzp"
        write_new_document(second, report)
        for k in range(2, 10, 2):
            shutil.copyfile(first, folder / f"r{i + 10 * k:03}.json")
            shutil.copyfile(second, folder / f"r{i + 10 * (k + 1):03}.jxzp")
    return folder


def _summary_ms(folder: Path, count: int) -> dict:
    """The 汇总表 over ``count`` reports of 50 leaves (half JSON, half document files), from reading
    the folder to the workbook on disk, in a fresh process as ``main.py summary`` runs it."""
    from core.store.jsonio import dumps

    folder.mkdir()
    for i in range(count):
        report = synthetic_report(50, sources=5, pages=5, seed=i)
        if i % 2:
            (folder / f"r{i:03}.json").write_text(dumps(report), encoding="utf-8")
        else:
            write_new_document(folder / f"r{i:03}.jxzp", report)
    samples = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "summary", str(folder), "--xlsx", str(folder / "汇总表.xlsx")],
            check=True,
            capture_output=True,
        )
        samples.append(time.perf_counter() - t)
    return {str(count): _ms(samples)}


def table(results: dict) -> str:
    rows = [("启动（到窗口显示）startup", f"{results['startup_ms']} ms", "≤ 1500 ms")]
    rows.append(("冷启动（程序文件不在页缓存中）cold startup", f"{results['startup_cold_ms']} ms", "≤ 1000 ms"))
    for n, v in results["recheck_ms"].items():
        rows.append((f"修改一项后重新检查 recheck，{n} 项指标", f"{v} ms", "≤ 5 ms" if n == "500" else ""))
    for n, v in results["recheck_from_scratch_ms"].items():
        rows.append((f"  从头全部检查（打开文档时），{n} 项指标", f"{v} ms", ""))
    rows.append(
        (
            "单次修改写入磁盘 edit commit p50 / p99",
            f"{results['edit_commit_ms']['p50']} / {results['edit_commit_ms']['p99']} ms",
            "p99 ≤ 20 ms",
        )
    )
    rows.append(("打开 500 项指标的文档 open", f"{results['open_ms']} ms", "≤ 100 ms"))
    for n, v in results["xlsx_ms"].items():
        rows.append((f"导出 Excel，{n} 项指标", f"{v} ms", "≤ 500 ms" if n == "500" else ""))
    for k, v in results["pdf_ms"].items():
        label = f"{k[:-1]} 页正文" if k.endswith("p") else "500 项指标"
        rows.append((f"生成 PDF，{label}", f"{v} ms", "≤ 1000 ms" if k == "40p" else ""))
    for n, v in results["summary_ms"].items():
        rows.append((f"汇总表（main.py summary），{n} 份报告", f"{v} ms", "200 份：几秒内"))
    for n, v in results["window_edit_ms"].items():
        rows.append((f"窗口中修改一格到刷新完毕，{n} 项指标", f"{v} ms", "≤ 16 ms" if n == "500" else ""))
    first = results["window_first_pdf_ms"]
    rows.append(("窗口中启动后首次导出 40 页 PDF（点击到写完）", f"{first['click_to_file']} ms", "≤ 500 ms"))
    rows.append(("  其中界面线程占用 GUI thread", f"{first['gui_thread']} ms", ""))
    rows.append(("窗口打开 5000 项指标时的内存峰值 peak RSS", f"{results['peak_rss_mb']} MB", "≤ 150 MB"))
    rows.append(("命令行 check 示例报告（新进程）", f"{results['cli_ms']['check']} ms", "≤ 250 ms"))
    rows.append(("命令行一次 check 100 份报告（新进程）", f"{results['cli_ms']['check_100']} ms", "≤ 5000 ms"))
    rows.append(("命令行导出示例报告 PDF（新进程）", f"{results['cli_ms']['pdf']} ms", ""))
    rows.append(("  同上，字体解析结果尚未缓存（首次）", f"{results['cli_ms']['pdf_fonts_not_cached']} ms", ""))
    lo = results["libreoffice"]
    rows.append((f"命令行导出 {lo['pages']} 页报告 PDF（新进程）", f"{lo['ours_ms']} ms", ""))
    rows.append(("  其 CPU 时间", f"{lo['ours_cpu_ms']} ms", ""))
    if lo["libreoffice_ms"] is None:
        rows.append(("LibreOffice 转换同一报告（.docx）", "未安装", ""))
    else:
        rows.append(("LibreOffice 转换同一报告（.docx）", f"{lo['libreoffice_ms']} ms", ""))
        rows.append(("  其 CPU 时间", f"{lo['libreoffice_cpu_ms']} ms", ""))
        rows.append(("  比值 本程序 ÷ LibreOffice", f"{lo['ratio']}", "≤ 0.12（目标 0.05）"))
        rows.append(("  CPU 时间之比", f"{lo['cpu_ratio']}", ""))
    width = max(len(r[0]) for r in rows) + 2
    return "\n".join(f"{a:<{width}}{b:>18}  {c}" for a, b, c in rows)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description="绩效自评助手的性能测量")
    parser.add_argument("--quick", action="store_true", help="fewer sizes and repeats (CI runs this once)")
    args = parser.parse_args()
    results = run(args.quick)
    print(json.dumps(results, ensure_ascii=False))
    print()
    print(table(results))


if __name__ == "__main__":
    main()
