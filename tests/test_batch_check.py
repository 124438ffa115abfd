"""``check`` over many reports in one process (issue 21): every file named, the worst exit code."""

import json
import shutil

from core.store.storage_format import write_new_document
from tests.conftest import SEEDS, load_seed


def _with_errors(folder):
    data = json.loads(SEEDS["002"].read_text(encoding="utf-8"))
    data["indicators"][0]["weight"] = "40"  # I02
    path = folder / "有错误.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _broken(folder):
    path = folder / "坏文件.json"
    path.write_text('{"format": "jixiao-ziping", "version": 1, "funds": {"sources": [{"spent": "abc"}]}}', "utf-8")
    return path


def test_exit_code_is_the_worst_of_them(cli, tmp_path):
    good = [str(SEEDS[n]) for n in ("000", "001", "002")]
    r = cli("check", *good)
    assert r.returncode == 0, r.stderr
    for n in ("000", "001", "002"):
        assert f"== {SEEDS[n]} ==" in r.stdout
    assert "共 3 份：无错误 3 份，有错误 0 份，无法读取 0 份" in r.stdout

    errors = _with_errors(tmp_path)
    r = cli("check", *good, str(errors))
    assert r.returncode == 1
    assert f"== {errors} ==" in r.stdout and "[错误] I02 indicators[0]" in r.stdout

    broken = _broken(tmp_path)
    for order in ((str(broken), str(errors)), (str(errors), str(broken))):
        r = cli("check", *good, *order)
        assert r.returncode == 2, "unreadable beats errors, whatever the order"
        assert "Traceback" not in r.stderr
        assert r.stderr.strip().splitlines() == [f"无法读取 {broken}：字段 funds.sources[0].spent “abc”不是数字"]
        assert f"== {broken} ==" in r.stdout and "共 5 份：无错误 3 份，有错误 1 份，无法读取 1 份" in r.stdout


def test_a_folder_means_its_reports_json_and_documents(cli, tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    shutil.copy(SEEDS["000"], folder / "a.json")
    write_new_document(folder / "b.jxzp", load_seed("001"))
    (folder / "说明.txt").write_text("不是报告", encoding="utf-8")
    r = cli("check", str(folder), "--json")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["file"] for x in lines] == [str(folder / "a.json"), str(folder / "b.jxzp")]
    assert [x["totals"]["score"] for x in lines] == ["96.00", "99.00"]
    assert all(set(x) == {"file", "issues", "totals"} for x in lines)

    _with_errors(folder)
    _broken(folder)
    r = cli("check", str(folder), "--json")
    assert r.returncode == 2
    lines = {json.loads(line)["file"]: json.loads(line) for line in r.stdout.splitlines()}
    assert len(lines) == 4
    assert "abc" in lines[str(folder / "坏文件.json")]["error"]
    assert "I02" in [x["code"] for x in lines[str(folder / "有错误.json")]["issues"]]


def test_an_empty_folder_is_said_not_skipped(cli, tmp_path):
    empty = tmp_path / "空"
    empty.mkdir()
    r = cli("check", str(SEEDS["000"]), str(empty))
    assert r.returncode == 2
    assert "中没有报告文件" in r.stderr and str(empty) in r.stderr


def test_one_file_prints_as_before(cli):
    r = cli("check", str(SEEDS["000"]), "--json")
    assert r.returncode == 0
    data = json.loads(r.stdout)  # one indented object, no file key: the contract of a single check
    assert set(data) == {"issues", "totals"} and r.stdout.startswith("{\n")
    text = cli("check", str(SEEDS["000"]))
    assert not text.stdout.startswith("==") and "共 " not in text.stdout


def test_a_word_that_is_no_command_nor_file_is_refused(cli, tmp_path):
    for args in (("summry", "x.json"), ("no-such-file.jxzp",), ("--open",), ("check.json",)):
        r = cli(*args, cwd=tmp_path, timeout=30)  # would hang with an invisible window before
        assert r.returncode == 2, args
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and f"“{args[0]}”既不是命令" in lines[0] and "Traceback" not in r.stderr
        assert "check、export" in lines[0] and r.stdout == ""


def test_an_existing_file_and_the_window_option_still_open_the_window(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("JXZP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JXZP_DOCUMENTS_DIR", str(tmp_path / "documents"))
    doc = tmp_path / "报告.jxzp"
    write_new_document(doc, load_seed("000"))
    r = cli(str(doc), "--exit-after-show", timeout=60)
    assert r.returncode == 0 and "JXZP-WINDOW-SHOWN" in r.stdout, r.stderr
