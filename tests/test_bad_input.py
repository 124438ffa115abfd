"""A corpus of bad input, generated here, run through the real command line (issue 23).

Every case is a report JSON or a damaged document file built in the test. Each goes through
``check``, ``check --json`` and ``export --xlsx --pdf --json --save`` in a new process with a time
bound (the subprocess timeout) and, on POSIX, a memory bound (RLIMIT_AS). Every run must end in a
known exit code with a Chinese sentence and no traceback; what an export wrote must read back.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import SEEDS, run_main

TIMEOUT = 120  # seconds a single run may take, however bad its input: a hang guard, not a speed claim
# (generous, so that a loaded machine does not fail it; the benchmark measures speed)
MEMORY = 1536 * 1024 * 1024  # bytes of address space a run may use (a runaway dies here, not at 24 GB)
CHINESE = range(0x4E00, 0x9FFF + 1)


def _seed() -> dict:
    return json.loads(SEEDS["001"].read_text(encoding="utf-8"))


def _leaves(data: dict):
    stack = list(data["indicators"])
    while stack:
        node = stack.pop()
        if node.get("children"):
            stack.extend(node["children"])
        else:
            yield node


def _with(change) -> dict:
    data = _seed()
    change(data)
    return data


def _set(path: str, value):
    def change(data):
        obj = data
        keys = path.split(".")
        for key in keys[:-1]:
            obj = obj[int(key)] if key.isdigit() else obj[key]
        obj[keys[-1]] = value

    return change


def _first_leaf(**values):
    def change(data):
        next(_leaves(data)).update(values)

    return change


def _long_names(data):
    data["indicators"][0]["name"] = "决" * 400
    leaf = next(_leaves(data))
    leaf["name"] = "叶" * 400
    data["project"]["name"] = "项" * 500
    data["project"]["department"] = "部" * 500
    data["funds"]["sources"][0]["source"] = "源" * 500


def _placeholder_bomb(data):
    data["project"]["name"] = "名" * 100_000
    data["narrative"][0]["text"] = "{项目名称}" * 50_000
    next(_leaves(data))["explanation"] = "{项目名称}" * 50_000


def _placeholders_within_limits(data):
    # The largest name and text the limits allow, still a bomb of 10,000 × 500 characters.
    data["project"]["name"] = "名" * 500
    data["narrative"][0]["text"] = "{项目名称}" * 10_000
    next(_leaves(data))["explanation"] = "{项目名称}" * 10_000


def _deep_json(depth: int) -> str:
    return '{"format": "jixiao-ziping", "version": 1, "x": ' + "[" * depth + "]" * depth + "}"


def _many_indicators(data):
    data["indicators"] = [{"name": f"指标{i}", "weight": "1", "score": "1"} for i in range(100_000)]


def _surrogates(data):
    data["project"]["name"] = "项目\ud800名称"
    data["project"]["extra_note"] = "\udfff"
    leaf = next(_leaves(data))
    leaf["explanation"] = "解释\ufffe\uffff"
    leaf["deviation"] = "原因\ufffe"
    data["narrative"][0]["text"] = "正文\ud83d"


#: name → the text of a report JSON file (str, or bytes when not even UTF-8)
JSON_CASES = {
    "empty": "",
    "not-utf8": b"\xff\xfe\x00{",
    "truncated": json.dumps(_seed(), ensure_ascii=False)[:5000],
    "top-level-list": "[1, 2, 3]",
    "nested-995": _deep_json(995),
    "nested-100000": _deep_json(100_000),
    "amount-1e-400": json.dumps(_with(_set("funds.sources.0.spent", 0))).replace('"spent": 0', '"spent": 1e-400'),
    "amount-73-digits": json.dumps(_with(_set("funds.sources.0.spent", "9" * 73))),
    "amount-too-large": json.dumps(_with(_set("funds.sources.0.spent", "9" * 16))),
    "amount-nan": json.dumps(_with(_set("funds.sources.0.spent", float("nan")))),
    "wrong-types": json.dumps(_with(_set("project", ["a"]))),
    "year-text": json.dumps(_with(_set("project.year", "去年"))),
    "actual-text-quantitative": json.dumps(_with(_first_leaf(actual="基本完成", target={"op": ">=", "value": "多"}))),
    "long-names": json.dumps(_with(_long_names), ensure_ascii=False),
    "placeholder-bomb": json.dumps(_with(_placeholder_bomb), ensure_ascii=False),
    "placeholders-at-limits": json.dumps(_with(_placeholders_within_limits), ensure_ascii=False),
    "ten-million-characters": json.dumps(_with(_set("project.goal_actual", "字" * 10_000_000)), ensure_ascii=False),
    "many-indicators": json.dumps(_with(_many_indicators)),
    "indicators-13-deep": json.dumps(_with(_set("indicators", [_nested := {"name": "x"}]))).replace(
        '{"name": "x"}', '{"name": "x", "children": [' * 13 + '{"name": "y"}' + "]}" * 13
    ),
    "surrogates": json.dumps(_with(_surrogates)),
    "controls": json.dumps(_with(_set("project.name", "项目\x00\x1b\u200b名称\u2028"))),
}


def _document(tmp: Path, name: str, data: dict | None = None) -> Path:
    from core.store.jsonio import report_from_data
    from core.store.storage_format import write_new_document

    path = tmp / f"{name}.jxzp"
    write_new_document(path, report_from_data(data or _seed()))
    return path


def _set_part(path: Path, kind: str, data, *, idx: int = 0, sql_null: bool = False) -> None:
    if sql_null:  # a damaged row: the NOT NULL the schema asks for is gone
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute(
                "UPDATE sqlite_master SET sql = replace(sql, 'data TEXT NOT NULL', 'data') WHERE name = 'parts'"
            )
        conn.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE parts SET data = ? WHERE kind = ? AND idx = ?", (data, kind, idx))
    conn.close()


def _damaged_documents(tmp: Path) -> dict[str, Path]:
    cases = {}
    whole = _document(tmp, "whole").read_bytes()
    for n in (100, 600, len(whole) // 3, len(whole) // 2, len(whole) - 700, len(whole) - 1):
        path = tmp / f"truncated-{n}.jxzp"
        path.write_bytes(whole[:n])
        cases[f"doc-truncated-{n}"] = path
    parts = {
        "invalid-json": ("project", '{"name": "项目'),
        "json-null": ("project", "null"),
        "list": ("head", "[1, 2]"),
        "nested": ("funds", "[" * 100_000 + "]" * 100_000),
        "binary": ("project", b"\xff\xfe\x00"),
        "surrogate": ("project", '{"name": "\\ud800"}'),
    }
    for name, (kind, data) in parts.items():
        path = _document(tmp, f"part-{name}")
        _set_part(path, kind, data)
        cases[f"doc-part-{name}"] = path
    path = _document(tmp, "part-sql-null")
    _set_part(path, "indicators", None, sql_null=True)
    cases["doc-part-sql-null"] = path
    return cases


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _run(*args: str) -> tuple:
    kwargs = {"preexec_fn": _limit_memory} if os.name == "posix" else {}
    try:
        return run_main(*args, timeout=TIMEOUT, **kwargs), None
    except Exception as exc:  # a timeout: the run did not end in time
        return None, exc


def _commands(path: Path, out: Path) -> list[tuple[str, ...]]:
    return [
        ("check", str(path)),
        ("check", str(path), "--json"),
        (
            "export",
            str(path),
            *("--xlsx", str(out / f"{path.stem}.xlsx"), "--pdf", str(out / f"{path.stem}.pdf")),
            *("--json", str(out / f"{path.stem}.json"), "--save", str(out / f"{path.stem}.jxzp")),
        ),
    ]


def _verdict(args: tuple[str, ...], result, error) -> str | None:
    """What is wrong with one run, or None."""
    where = " ".join(Path(a).name if "/" in a else a for a in args)
    if result is None:
        return f"{where}: did not end ({error})"
    if "Traceback" in result.stderr:
        return f"{where}: traceback\n{result.stderr[-2000:]}"
    if result.returncode not in (0, 1, 2, 3):
        return f"{where}: exit {result.returncode}\n{result.stderr[-500:]}"
    if result.returncode >= 2 and not any(ord(ch) in CHINESE for ch in result.stderr):
        return f"{where}: exit {result.returncode} without a Chinese sentence: {result.stderr[-500:]!r}"
    if result.returncode >= 2 and len(result.stderr.strip().splitlines()) > 3:
        return f"{where}: more than one sentence: {result.stderr[-1000:]}"
    if args[0] == "check" and "--json" in args and result.returncode < 2:
        json.loads(result.stdout)
    return None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("bad-input")
    cases = {}
    for name, text in JSON_CASES.items():
        path = tmp / f"{name}.json"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        cases[name] = path
    cases.update(_damaged_documents(tmp))
    return cases


@pytest.fixture(scope="module")
def outcomes(corpus, tmp_path_factory) -> dict[str, list]:
    """Every case through every command, two runs at a time."""
    out = tmp_path_factory.mktemp("outputs")
    jobs = [(name, args) for name, path in corpus.items() for args in _commands(path, out)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda job: _run(*job[1]), jobs))
    table: dict[str, list] = {}
    for (name, args), (result, error) in zip(jobs, results, strict=True):
        table.setdefault(name, []).append((args, result, error))
    return table


def test_every_bad_input_ends_in_a_clean_sentence(outcomes):
    problems = [
        f"[{name}] {problem}"
        for name, runs in outcomes.items()
        for args, result, error in runs
        if (problem := _verdict(args, result, error))
    ]
    assert not problems, "\n\n".join(problems)


def test_what_an_export_wrote_reads_back(outcomes):
    from core.store.loading import load_report

    for runs in outcomes.values():
        args, result, _error = runs[-1]
        if result is None or result.returncode not in (0, 3):
            continue
        for option in ("--json", "--save"):
            written = Path(args[args.index(option) + 1])
            if written.exists():
                load_report(written)  # raises LoadError if a file was written that cannot be read


@pytest.mark.parametrize(
    "name, code, words",
    [
        ("nested-995", 2, "嵌套"),
        ("nested-100000", 2, "嵌套"),
        ("amount-1e-400", 2, "funds.sources[0].spent"),
        ("amount-73-digits", 2, "funds.sources[0].spent"),
        ("ten-million-characters", 2, "project.goal_actual"),
        ("many-indicators", 2, "indicators"),
        ("placeholder-bomb", 2, "project.name"),
        ("doc-part-nested", 2, "嵌套"),
    ],
)
def test_refusals_name_what_is_wrong(outcomes, name, code, words):
    for args, result, _error in outcomes[name]:
        assert result.returncode == code, (args, result.stderr)
        assert words in result.stderr, (args, result.stderr)


@pytest.mark.parametrize("name", ["long-names", "placeholders-at-limits", "surrogates", "controls"])
def test_what_the_limits_allow_is_exported(outcomes, name):
    """Text within the limits always prints: long names are cut with a warning, a placeholder
    bomb within the limits is capped, odd characters are cleaned."""
    for args, result, _error in outcomes[name]:
        assert result.returncode in (0, 1), (args, result.stderr)
    export = outcomes[name][-1][1]
    assert export.returncode == 0, export.stderr
    if name == "long-names":
        assert "PDF 表格中只印出前 100 字" in export.stderr
        assert "P02" in outcomes[name][0][1].stdout  # check said so before
    if name == "placeholders-at-limits":
        assert "填入占位符后超过 100,000 字" in export.stderr
        assert "N03" in outcomes[name][0][1].stdout


def test_placeholders_are_filled_within_a_bound():
    import time

    from core.model.limits import FILLED_CHARS
    from core.rules.placeholders import CUT_MARK, fill
    from core.rules.totals import compute_totals
    from core.store.jsonio import report_from_data

    report = report_from_data(_with(_set("project.name", "名" * 500)))
    cut: list[str] = []
    started = time.monotonic()
    text = fill("{项目名称}" * 50_000, report, compute_totals(report), cut)
    assert time.monotonic() - started < 2
    assert len(text) == FILLED_CHARS + len(CUT_MARK) and text.endswith(CUT_MARK)
    assert cut and "导出时只保留前" in cut[0]


def test_the_corpus_is_large_enough(corpus):
    assert len(corpus) >= 30
    assert sys.platform  # the memory bound applies on POSIX; elsewhere only the time bound


# --- the same limits on every way in, in-process ----------------------------------------------


def test_typing_and_paste_keep_the_limits():
    from core.document import Document, InputError
    from core.model.limits import DEPTH, LINE_CHARS, TEXT_CHARS
    from core.model.model import Indicator
    from core.store.jsonio import report_from_data

    doc = Document(report_from_data(_seed()))
    with pytest.raises(InputError, match="项目名称内容过长"):
        doc.set_text(("project", "name"), "名" * (LINE_CHARS + 1))
    with pytest.raises(InputError, match="正文内容过长"):
        doc.set_text(("narrative", 0, "text"), "字" * 10_000_000)
    doc.set_text(("narrative", 0, "text"), "字" * TEXT_CHARS)  # the limit itself is allowed
    deep = Indicator("最深")
    for _ in range(DEPTH - 1):
        deep = Indicator("下级", children=[deep])
    with pytest.raises(InputError, match="层级过深"):
        doc.insert(("indicators", 0, "children"), 0, deep, "添加指标")


def test_a_report_beyond_the_limits_is_never_written(tmp_path):
    from core.model.model import Report
    from core.store.fileutil import OutputError
    from core.store.jsonio import write_json
    from core.store.storage_format import write_new_document

    report = Report()
    report.project.name = "名" * 10_000  # as no reader would accept it
    for write, name in ((write_json, "out.json"), (write_new_document, "out.jxzp")):
        with pytest.raises(OutputError, match="project.name"):
            write(tmp_path / name, report)
        assert not (tmp_path / name).exists()


def test_damaged_parts_are_one_sentence(tmp_path):
    from core.store.storage_format import LoadError, read_document_report

    for name, path in _damaged_documents(tmp_path).items():
        if name == "doc-part-surrogate":
            assert "\ud800" not in read_document_report(path).project.name
            continue
        with pytest.raises(LoadError, match="无法(打开|读取)"):
            read_document_report(path)


# --- messages (issue 23, item 9) ---------------------------------------------------------------


def test_check_into_a_pipe_that_closes_ends_quietly():
    import subprocess

    from tests.conftest import ROOT

    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("PYTHONUNBUFFERED", None)  # stdout buffered, as in a terminal's pipe: the write comes at the end
    with subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "check", str(SEEDS["001"])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        proc.stdout.close()  # like `| head -0`: nobody reads
        stderr = proc.stderr.read().decode("utf-8")
        assert proc.wait(timeout=TIMEOUT) == 0
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_disk_problems_are_said_in_chinese_and_once(tmp_path):
    from core.store.fileutil import OutputError, describe_os_error
    from core.store.storage_format import open_error, save_error

    full = sqlite3.OperationalError("database or disk is full")
    assert "磁盘空间已满" in str(save_error(full, tmp_path / "a.jxzp"))
    assert "磁盘" in str(open_error(sqlite3.OperationalError("disk I/O error"), tmp_path / "a.jxzp"))
    once = OutputError(f"无法写入 {tmp_path / 'a.pdf'}：磁盘空间已满")
    assert describe_os_error(once, tmp_path / "a.pdf").count("无法写入") == 1
