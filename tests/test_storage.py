"""The document file: autosave, crash safety, undo, versions, and every bad file or fault."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pytest

from core.model.numbers import fmt2
from core.store.jsonio import dumps
from core.store.storage import COALESCE_SECONDS, DocumentFile
from core.store.storage_format import SCHEMA_VERSION, OpenError, SaveError, read_document_report, write_new_document
from tests.conftest import ROOT, load_seed
from tests.helpers.crash_writer import apply_edit

SPENT = ("funds", "sources", 0, "spent")


@pytest.fixture
def docpath(tmp_path):
    path = tmp_path / "报告.jxzp"
    write_new_document(path, load_seed("000"))
    return path


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_every_edit_is_saved_without_a_save_step(docpath):
    f = DocumentFile.open(docpath)
    statuses = []
    f.on_status = statuses.append
    f.document.set_text(SPENT, "450")
    assert f.status == "saving"
    deadline = time.monotonic() + 1.0
    while f.status != "saved" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert f.status == "saved" and statuses == ["saving", "saved"]
    f.close()
    assert fmt2(read_document_report(docpath).funds.sources[0].spent) == "450.00"
    assert integrity(docpath) == "ok"
    assert not Path(str(docpath) + "-wal").exists()  # a single self-contained file at rest


def test_undo_of_a_saved_change_is_saved_too(docpath):
    f = DocumentFile.open(docpath)
    doc = f.document
    doc.set_text(SPENT, "450")
    f.flush()
    doc.insert(("indicators",), 0, doc.report.indicators[0].__class__(name="临时"), "添加指标")
    doc.undo()
    doc.undo()
    f.close()
    again = DocumentFile.open(docpath)
    assert fmt2(again.document.totals.funds.total.spent) == "423.69"
    assert [x.name for x in again.document.report.indicators] == ["项目决策", "项目管理", "项目绩效"]
    again.close()


def test_structural_edits_and_replace_round_trip(docpath, seed):
    f = DocumentFile.open(docpath)
    doc = f.document
    doc.remove(("indicators",), 0, "删除")
    doc.move(("narrative",), 0, 2, "下移")
    doc.indent(("narrative", 2))
    f.flush()
    expected = dumps(doc.report)
    f.close()
    assert dumps(read_document_report(docpath)) == expected
    f = DocumentFile.open(docpath)
    f.document.replace_report(seed("002"), "导入 JSON")
    f.close()
    assert dumps(read_document_report(docpath)) == dumps(seed("002"))


def test_second_opener_is_refused_with_the_file_name(docpath):
    f = DocumentFile.open(docpath)
    with pytest.raises(OpenError, match="已在另一个窗口或程序中打开") as info:
        DocumentFile.open(docpath)
    assert str(docpath) in str(info.value)
    code = (
        "import sys; from core.store.storage import DocumentFile\n"
        "from core.store.storage_format import OpenError\n"
        "try:\n    DocumentFile.open(sys.argv[1])\nexcept OpenError as e:\n    print(e); sys.exit(7)"
    )
    r = subprocess.run([sys.executable, "-c", code, str(docpath)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 7 and "另一个窗口" in r.stdout
    f.close()
    DocumentFile.open(docpath).close()  # free again once closed


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (randomblob(2000))")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    write_new_document(path, load_seed("000"))
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


def _truncated(path: Path) -> None:
    full = path.parent / "source" / "full.jxzp"
    full.parent.mkdir()
    write_new_document(full, load_seed("002"))
    path.write_bytes(full.read_bytes()[: 4096 + 700])


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: p.write_text("这不是文档", encoding="utf-8"), "不是绩效自评文档"),
        (lambda p: p.write_bytes(b""), "空的"),
        (lambda p: p.write_bytes(os.urandom(5000)), "不是绩效自评文档"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50), "不完整"),
        (_truncated, "损坏"),
        (_foreign_sqlite, "其他程序"),
        (_newer, "更新版本"),
        (lambda p: p.mkdir(), "文件夹"),
    ],
)
def test_bad_files_get_a_clear_message_and_are_never_written(tmp_path, make, words, cli):
    path = tmp_path / "坏文件.jxzp"
    make(path)
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(OpenError) as info:
        DocumentFile.open(path)
    assert words in str(info.value) and str(path) in str(info.value)
    if before is not None:
        assert path.read_bytes() == before
    r = cli("check", str(path))
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("坏文件")) == ["坏文件.jxzp"]


def test_read_only_file_opens_read_only(tmp_path):
    python = sys.executable
    user = {}
    base = tmp_path
    if os.geteuid() == 0:
        # root may write anything: open the file as an ordinary user, with a Python that user can run.
        python = shutil.which("python3", path="/usr/bin:/usr/local/bin") or sys.executable
        user = {"user": 65534, "group": 65534}
        base = Path(tempfile.mkdtemp(prefix="jxzp-ro-"))
        base.chmod(0o755)
    folder = base / "ro"
    folder.mkdir()
    path = folder / "只读.jxzp"
    write_new_document(path, load_seed("001"))
    before = path.read_bytes()
    path.chmod(0o444)
    folder.chmod(0o555)
    code = (
        "import sys; from core.store.storage import DocumentFile; from core.document import InputError\n"
        "f = DocumentFile.open(sys.argv[1]); print(f.read_only, f.document.totals.score)\n"
        "try:\n    f.document.set_text(('funds','sources',0,'spent'), '1')\n"
        "except InputError as e:\n    print('refused', '只读' in str(e))\n"
        "f.close()"
    )
    try:
        r = subprocess.run(
            [python, "-c", code, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(base)),
            **user,
        )
    finally:
        folder.chmod(0o755)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "99.00", "refused", "True"]
    assert path.read_bytes() == before
    if base is not tmp_path:
        shutil.rmtree(base)


def test_disk_full_keeps_edits_in_memory_and_writes_them_on_recovery(docpath):
    f = DocumentFile.open(docpath)
    conn = f._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" is now full
    statuses = []
    f.on_status = statuses.append
    f.document.set_text(SPENT, "500")
    f.document.set_text(("narrative", 0, "text"), "很长的正文。" * 16000)  # within a text's 100,000
    with pytest.raises(SaveError, match="磁盘空间已满"):
        f.flush()
    assert f.status == "error" and "error" in statuses
    assert integrity_while_open(f) == "ok"
    conn.execute("PRAGMA max_page_count = 1073741823")  # space again
    deadline = time.monotonic() + 5
    while f.status != "saved" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert f.status == "saved" and f.error is None
    f.close()
    report = read_document_report(docpath)
    assert report.funds.sources[0].spent == Decimal("500")
    assert report.narrative[0].text.startswith("很长的正文。")
    assert integrity(docpath) == "ok"


def integrity_while_open(f: DocumentFile) -> str:
    with f._conn_lock:
        return f._conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_versions_snapshot_preview_restore_and_undo(docpath):
    f = DocumentFile.open(docpath)
    doc = f.document
    assert [v.reason for v in f.versions()] == ["open"]
    doc.set_text(SPENT, "600")
    named = f.snapshot("user", "报送财政局前")
    doc.set_text(("indicators", 0, "children", 0, "children", 0, "score"), "0")
    assert fmt2(doc.totals.score) == "92.00"
    versions = f.versions()
    assert versions[0].id == named and versions[0].label == "报送财政局前"
    assert versions[0].summary["score"] == "96.00" and versions[0].summary["funds"]["execution_rate"] == "100.00"
    f.restore(named)
    assert fmt2(doc.totals.score) == "96.00" and fmt2(doc.totals.funds.total.spent) == "600.00"
    assert doc.undo_description().startswith("恢复历史版本")
    # The state before restoring is itself kept as a version, so nothing is destroyed.
    before_restore = f.versions()[0]
    assert before_restore.reason == "restore" and before_restore.summary["score"] == "92.00"
    doc.undo()
    assert fmt2(doc.totals.score) == "92.00"
    f.close()
    again = DocumentFile.open(docpath)
    assert fmt2(again.document.totals.score) == "92.00"
    again.close()


def test_reopening_unchanged_adds_no_version_and_old_ones_are_thinned(docpath):
    DocumentFile.open(docpath).close()
    f = DocumentFile.open(docpath)
    assert len(f.versions()) == 1
    with f._conn_lock:
        rows = [
            (f"2020-01-{d:02d}T{h:02d}:00:00", "open", 1, "{}", f"d{d}{h}", b"x") for d in range(1, 11) for h in (9, 15)
        ]
        rows += [(f"{time.strftime('%Y-%m-%d')}T0{h}:00:00", "export", 1, "{}", f"t{h}", b"x") for h in range(5)]
        f._conn.executemany(
            "INSERT INTO versions (created, reason, auto, summary, digest, data) VALUES (?, ?, ?, ?, ?, ?)", rows
        )
        f._conn.execute(
            "INSERT INTO versions (created, name, reason, auto, summary, digest, data) "
            "VALUES ('2019-01-01T00:00:00', '年初', 'user', 0, '{}', 'u', x'00')"
        )
    f.document.set_text(SPENT, "1")
    f.snapshot("export")
    kept = f.versions()
    assert any(v.name == "年初" for v in kept)  # named versions are never thinned
    assert len([v for v in kept if v.auto]) <= 10 + 1
    f.close()


def test_save_copy_and_export_save(docpath, tmp_path, cli):
    f = DocumentFile.open(docpath)
    f.document.set_text(SPENT, "300")
    copy = tmp_path / "副本.jxzp"
    f.save_copy(copy)
    f.close()
    assert fmt2(read_document_report(copy).funds.sources[0].spent) == "300.00"
    out = tmp_path / "from-json.jxzp"
    r = cli("export", str(ROOT / "tests/fixtures/seed_002.json"), "--save", str(out))
    assert r.returncode == 0, r.stderr
    r = cli("check", str(out), "--json")
    assert r.returncode == 0 and '"score": "98.74"' in r.stdout


def _replay(upto: int) -> str:
    from core.document import Document

    doc = Document(load_seed("000"))
    for i in range(1, upto + 1):
        apply_edit(doc, i)
    return dumps(doc.report)


def test_crash_at_random_moments_loses_no_committed_edit(tmp_path):
    path = tmp_path / "crash.jxzp"
    write_new_document(path, load_seed("000"))
    rnd = random.Random(20261123)
    replays: dict[int, str] = {}
    last_reported = 0
    for _ in range(50):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.crash_writer", str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        first = proc.stdout.readline()  # started and committed one edit
        assert first.strip(), "the writer did not start"
        last_reported = int(first)
        time.sleep(rnd.uniform(0, 0.15))
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        for line in out.split():
            last_reported = int(line)
        assert integrity(path) == "ok"
        report = read_document_report(path)
        stored = int(report.project.code)
        assert stored >= last_reported  # every reported (committed) edit is there
        if stored not in replays:
            replays = {stored: _replay(stored)}
        assert dumps(report) == replays[stored]  # and the file is exactly that state, nothing half-done


def test_autosave_commits_within_one_second_without_flush(tmp_path):
    path = tmp_path / "auto.jxzp"
    write_new_document(path, load_seed("000"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.crash_writer", str(path), "--no-flush"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "1"
    time.sleep(max(1.0, COALESCE_SECONDS * 3))
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert integrity(path) == "ok"
    assert read_document_report(path).project.code == "1"


def test_printed_figures_form_and_header_choices_are_saved_in_the_document_file(docpath):
    """The 复核 figures and the form live in the file's head part: edits to them are saved and
    come back on reopening."""
    from core.model.model import Printed

    f = DocumentFile.open(docpath)
    doc = f.document
    doc.set_value(("printed",), Printed(), "记录表上数字")
    doc.set_text(("printed", "score"), "100")
    doc.set_value(("form",), "mof-self")
    doc.set_text(("project", "category"), "专项资金")
    f.close()
    again = read_document_report(docpath)
    assert again.printed.score == Decimal("100") and again.form == "mof-self"
    assert again.project.category == "专项资金"
