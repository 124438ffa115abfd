"""Next year's report (issue 21): ``main.py next FILE --json OUT --save OUT.jxzp`` from each seed,
read back field by field: what is kept, what is cleared."""

import json

import pytest

from core.store.jsonio import report_to_data
from core.store.loading import load_report
from tests.conftest import SEEDS, load_seed

PROJECT_CLEARED = ("goal_actual", "period_start", "period_end", "evaluation_date", "report_date")
LEAF_CLEARED = {"score": None, "actual": None, "band": "", "deviation": "", "override_reason": ""}
PREVIOUS = {
    "000": {"year": 2023, "score": "96.00", "grade": "优", "execution_rate": "70.62"},
    "001": {"year": 2020, "score": "99.00", "grade": "优", "execution_rate": "60.44"},
    "002": {"year": 2023, "score": "98.74", "grade": "优", "execution_rate": "100.00"},
}


def _leaves(nodes):
    for node in nodes:
        if node.get("children"):
            yield from _leaves(node["children"])
        else:
            yield node


def _sections(nodes):
    for node in nodes:
        yield node
        yield from _sections(node.get("children", []))


@pytest.mark.parametrize("name", ["000", "001", "002"])
def test_next_year_keeps_the_plan_and_clears_what_happened(cli, tmp_path, name):
    out_json, out_doc = tmp_path / "next.json", tmp_path / "next.jxzp"
    r = cli("next", str(SEEDS[name]), "--json", str(out_json), "--save", str(out_doc))
    assert r.returncode == 0, r.stderr
    old = report_to_data(load_seed(name))
    new = json.loads(out_json.read_text(encoding="utf-8"))
    # the document file holds the same report
    assert report_to_data(load_report(out_doc)) == new

    assert new["template"] == old["template"]
    assert new["previous"] == PREVIOUS[name]
    assert "previous" not in old
    # project: year + 1, the year in the name too; the rest kept but the dates and what was done
    p_old, p_new = old["project"], new["project"]
    year = p_old["year"]
    assert p_new["year"] == year + 1
    assert p_new["name"] == p_old["name"].replace(f"{year}年", f"{year + 1}年")
    for key, value in p_old.items():
        if key in PROJECT_CLEARED:
            assert p_new[key] == "", key
        elif key not in ("year", "name"):
            assert p_new[key] == value, key
    assert new["team"] == old["team"]
    # funds: the plan kept, what was received and spent cleared
    f_old, f_new = old["funds"], new["funds"]
    for key in ("unit", "execution_base", "approved_total"):
        assert f_new[key] == f_old[key]
    assert len(f_new["sources"]) == len(f_old["sources"])
    for s_old, s_new in zip(f_old["sources"], f_new["sources"], strict=True):
        assert (s_new["source"], s_new["initial"], s_new["adjusted"]) == (
            s_old["source"],
            s_old["initial"],
            s_old["adjusted"],
        )
        assert s_new["received"] is None and s_new["spent"] is None
    assert f_new["expenditures"] == []
    if f_old["balance"] is None:
        assert f_new["balance"] is None
    else:  # last year's 年末结转结余 is this year's 上年结转结余
        assert f_new["balance"] == {
            "opening": f_old["balance"]["closing"],
            "income": None,
            "spent": None,
            "closing": None,
        }
    # indicators: the same tree, names, weights, targets; every leaf's outcome cleared
    old_leaves, new_leaves = list(_leaves(old["indicators"])), list(_leaves(new["indicators"]))
    assert len(new_leaves) == len(old_leaves) > 5
    for a, b in zip(old_leaves, new_leaves, strict=True):
        for key in ("name", "explanation", "weight", "metric", "target"):
            assert b.get(key) == a.get(key), key
        for key, empty in LEAF_CLEARED.items():
            assert b[key] == empty, key
    assert [n["name"] for n in new["indicators"]] == [n["name"] for n in old["indicators"]]
    assert [n.get("weight") for n in new["indicators"]] == [n.get("weight") for n in old["indicators"]]
    # narrative: titles kept; texts kept but for figures now placeholders
    old_sections, new_sections = list(_sections(old["narrative"])), list(_sections(new["narrative"]))
    assert [s["title"] for s in new_sections] == [s["title"] for s in old_sections]
    for a, b in zip(old_sections, new_sections, strict=True):
        if "{" not in b["text"]:
            assert b["text"] == a["text"]


def test_narrative_figures_become_placeholders_where_they_are_last_years_figures(cli, tmp_path):
    out = tmp_path / "n.json"
    assert cli("next", str(SEEDS["001"]), "--json", str(out)).returncode == 0
    texts = {s["title"]: s["text"] for s in _sections(json.loads(out.read_text(encoding="utf-8"))["narrative"])}
    old = {s["title"]: s["text"] for s in _sections(report_to_data(load_seed("001"))["narrative"])}
    # 360.73 is the 实际支出数 and 236.14 the 结余 (到位 596.87 − 支出 360.73); 591.04 is the 年初预算数
    # total; 5.83 is no total figure and stays
    assert old["（一）项目概况"].count("360.73") == 1
    assert texts["（一）项目概况"] == (
        old["（一）项目概况"]
        .replace("360.73", "{实际支出数}")
        .replace("236.14", "{结余}")
        .replace("591.04", "{年初预算数}")
    )
    assert "5.83万元" in texts["（一）项目概况"]

    data = json.loads(SEEDS["000"].read_text(encoding="utf-8"))
    data["narrative"] = [
        {
            "title": "一、资金",
            "text": "执行率70.62％，支出423.69万元，共1423.69或423.699；全年600.00万元；得分96.00分。",
        }
    ]
    f = tmp_path / "t.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert cli("next", str(f), "--json", str(out)).returncode == 0
    text = json.loads(out.read_text(encoding="utf-8"))["narrative"][0]["text"]
    # 600.00 is 年初 = 全年 = 到位 alike: which one is meant cannot be told, so it stays
    assert text == "执行率{执行率}，支出{实际支出数}万元，共1423.69或423.699；全年600.00万元；得分{总得分}分。"


def test_next_needs_an_output_and_a_readable_file(cli, tmp_path):
    r = cli("next", str(SEEDS["000"]))
    assert r.returncode == 2 and "至少一个输出选项" in r.stderr
    r = cli("next", str(tmp_path / "没有.json"), "--json", str(tmp_path / "o.json"))
    assert r.returncode == 2 and "文件不存在" in r.stderr and "Traceback" not in r.stderr
    r = cli("next", str(SEEDS["000"]), "--json", str(tmp_path / "no" / "dir" / "o.json"))
    assert r.returncode == 3 and "无法写入" in r.stderr
