"""The command line, run as a user runs it: a new process, exit codes, output, no tracebacks."""

import json

from tests.conftest import SEEDS


def test_check_json_shape_and_figures(cli):
    r = cli("check", str(SEEDS["000"]), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) == {"issues", "totals"}
    t = data["totals"]
    assert t["score"] == "96.00" and t["grade"] == "优" and t["weight"] == "100.00"
    assert t["level1"][1] == {"name": "项目管理", "weight": "20.00", "score": "19.50"}
    assert t["funds"] == {
        "initial": "600.00",
        "adjusted": "600.00",
        "received": "600.00",
        "spent": "423.69",
        "remaining": "176.31",
        "execution_rate": "70.62",
        "arrival_rate": "100.00",
    }


def test_check_exit_1_on_errors_with_issue_shape(cli, tmp_path):
    data = json.loads(SEEDS["002"].read_text(encoding="utf-8"))
    data["indicators"][0]["weight"] = "40"
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = cli("check", str(f), "--json")
    assert r.returncode == 1
    issues = json.loads(r.stdout)["issues"]
    assert {
        "code": "I02",
        "severity": "error",
        "path": "indicators[0]",
        "message": "决策：下级分值合计 20.00，与设定分值 40.00 不符",
    } in issues
    text = cli("check", str(f))
    assert text.returncode == 1 and "[错误] I02 indicators[0]" in text.stdout


def test_warnings_only_exit_0(cli, tmp_path):
    data = json.loads(SEEDS["002"].read_text(encoding="utf-8"))
    data["project"]["supervisor"] = ""
    f = tmp_path / "warn.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = cli("check", str(f))
    assert r.returncode == 0 and "P01" in r.stdout


def test_transfer_template_has_null_score(cli, tmp_path):
    f = tmp_path / "t.json"
    f.write_text('{"format":"jixiao-ziping","version":1,"template":"transfer"}', encoding="utf-8")
    t = json.loads(cli("check", str(f), "--json").stdout)["totals"]
    assert t["score"] is None and t["grade"] is None
    assert t["funds"]["execution_rate"] is None


def test_broken_file_exit_2_one_sentence(cli, tmp_path):
    data = json.loads(SEEDS["002"].read_text(encoding="utf-8"))
    data["funds"]["sources"][0]["spent"] = "abc"
    f = tmp_path / "broken.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for args in (("check", str(f)), ("check", str(f), "--json"), ("export", str(f), "--json", str(tmp_path / "o"))):
        r = cli(*args)
        assert r.returncode == 2
        assert r.stdout == ""
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in r.stderr
        assert "broken.json" in lines[0] and "funds.sources[0].spent" in lines[0] and "abc" in lines[0]


def test_unreadable_files_exit_2(cli, tmp_path):
    garbage = tmp_path / "x.json"
    garbage.write_bytes(b"\xff\xfe\x00garbage")
    missing = tmp_path / "missing.json"
    for f in (garbage, missing, tmp_path):
        r = cli("check", str(f))
        assert r.returncode == 2 and "Traceback" not in r.stderr and str(f.name) in r.stderr


def test_export_json_round_trip_and_exit_3(cli, tmp_path):
    out = tmp_path / "copy.json"
    r = cli("export", str(SEEDS["001"]), "--json", str(out))
    assert r.returncode == 0, r.stderr
    again = cli("check", str(out), "--json")
    assert json.loads(again.stdout)["totals"]["score"] == "99.00"
    bad = cli("export", str(SEEDS["001"]), "--json", str(tmp_path / "no" / "such" / "dir.json"))
    assert bad.returncode == 3 and "无法写入" in bad.stderr and "Traceback" not in bad.stderr


def test_help_offers_only_what_exists(cli):
    r = cli("export", "--help")
    assert r.returncode == 0 and "--json" in r.stdout


def test_usage_mistakes_are_explained_in_chinese(cli):
    r = cli("check")
    assert r.returncode == 2 and "缺少参数：FILE" in r.stderr
    r = cli("export", str(SEEDS["000"]), "--pdf")
    assert r.returncode == 2 and "--pdf 后面需要一个文件名" in r.stderr
    r = cli("export", str(SEEDS["000"]))
    assert r.returncode == 2 and "至少一个输出选项" in r.stderr
