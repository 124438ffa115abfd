"""The 汇总表 (issue 21): ``main.py summary`` over the three seeds, a report with errors kept in 元
and a broken file, read back with openpyxl; and the aggregation called directly."""

import json
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from tests.conftest import SEEDS

CENT = Decimal("0.01")


def d(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _in_yuan_with_errors(folder):
    """Seed 002 kept in 元 (its 万元 amounts × 10,000, the 支出 a little off a round 万元), with a
    fixed 一级 weight its children do not add up to (I02)."""
    data = json.loads(SEEDS["002"].read_text(encoding="utf-8"))
    data["funds"]["unit"] = "元"
    src = data["funds"]["sources"][0]
    src.update(initial="6600000", adjusted="6684000", received="6684000", spent="6683987.65")
    if data["funds"].get("approved_total") is not None:
        data["funds"]["approved_total"] = "6684000"
    data["indicators"][0]["weight"] = "40"
    path = folder / "元为单位有错误.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "各单位"
    folder.mkdir()
    errors = _in_yuan_with_errors(folder)
    broken = folder / "坏文件.json"
    broken.write_text('{"format": "jixiao-ziping", "version": 1, "funds": {"sources": [{"spent": "abc"}]}}', "utf-8")
    return [str(SEEDS[n]) for n in ("000", "001", "002")], errors, broken, folder


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_summary_over_the_seeds_an_error_report_and_a_broken_file(cli, reports, tmp_path):
    seeds, errors, broken, folder = reports
    out = tmp_path / "汇总表.xlsx"
    r = cli("summary", *seeds, str(folder), "--xlsx", str(out))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "坏文件.json" in r.stderr and "abc" in r.stderr
    assert f"已写出 {out}：4 份报告，1 个文件无法读取" in r.stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总表", "问题清单", "无法读取"]
    ws = wb["汇总表"]
    rows = _rows(ws)
    assert rows[0][0] == "项目支出绩效自评汇总表"
    assert "金额单位：万元" in rows[1][0] and "换算为万元" in rows[1][0]
    assert rows[2] == [
        "序号", "项目名称", "单位", "主管部门", "年度", "全年预算数", "实际支出数", "执行率",
        "总分", "等级", "错误数", "错误（按代码）", "警告数", "警告（按代码）", "来源文件",
    ]  # fmt: skip
    body = rows[3:7]
    # what each report says, by hand: 全年预算数, 实际支出数 (万元), 执行率 %, 总分, 等级
    expected = [
        ("长期护理保险财政补助资金", 2023, "600.00", "423.69", "70.62", "96.00", seeds[0]),
        ("离休干部医疗统筹保障财政配套", 2020, "596.87", "360.73", "60.44", "99.00", seeds[1]),
        ("2023年城乡居民基本医疗保险县级财政补助经费", 2023, "668.40", "668.40", "100.00", "98.74", seeds[2]),
        # 6,683,987.65 元 = 668.398765 万元 → 668.40; 6683987.65 ÷ 6684000 = 99.9998 % → 100.00
        ("2023年城乡居民基本医疗保险县级财政补助经费", 2023, "668.40", "668.40", "100.00", "98.74", str(errors)),
    ]
    for i, (row, (name, year, adjusted, spent, rate, score, file)) in enumerate(zip(body, expected, strict=True)):
        assert row[0] == i + 1 and row[1] == name and row[4] == year and row[14] == file
        assert d(row[5]) == Decimal(adjusted) and d(row[6]) == Decimal(spent)
        assert d(Decimal(str(row[7])) * 100) == Decimal(rate)
        assert d(row[8]) == Decimal(score) and row[9] == "优"
        assert ws.cell(row=4 + i, column=6).number_format == "0.00"
        assert ws.cell(row=4 + i, column=8).number_format == "0.00%"
    assert body[0][2] == "昆明市盘龙区医疗保险中心" and body[0][3] == "昆明市盘龙区医疗保障局"
    # the error report's counts by code are those `check` gives for it
    issues = json.loads(cli("check", str(errors), "--json").stdout)["issues"]
    errs = sorted(x["code"] for x in issues if x["severity"] == "error")
    warns = sorted(x["code"] for x in issues if x["severity"] == "warning")
    assert errs == ["I02"]
    assert body[3][10] == 1 and body[3][11] == "I02×1"
    assert body[3][12] == len(warns)
    for i in range(3):
        assert body[i][10] == 0 and body[i][12] == 0 and body[i][11] is None

    total, weighted, mean = rows[7], rows[8], rows[9]
    adjusted = [Decimal(e[2]) for e in expected]
    spent = [Decimal(e[3]) for e in expected]
    scores = [Decimal(e[5]) for e in expected]
    assert total[0] == "合计（4 份）"
    assert d(total[5]) == sum(adjusted) == Decimal("2533.67")
    assert d(total[6]) == sum(spent) == Decimal("2121.22")
    assert total[10] == 1 and total[12] == len(warns)
    # weighted 执行率 by hand: Σ实际支出数 ÷ Σ全年预算数
    by_hand = (sum(spent) * 100 / sum(adjusted)).quantize(CENT, rounding=ROUND_HALF_UP)
    assert by_hand == Decimal("83.72")
    assert weighted[0] == "加权平均（以全年预算数为权数）"
    assert d(Decimal(str(weighted[7])) * 100) == by_hand
    score_by_hand = (sum(s * a for s, a in zip(scores, adjusted, strict=True)) / sum(adjusted)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    assert d(weighted[8]) == score_by_hand
    rates = [Decimal(e[4]) for e in expected]
    assert mean[0] == "简单平均"
    assert d(Decimal(str(mean[7])) * 100) == (sum(rates) / 4).quantize(CENT, rounding=ROUND_HALF_UP)
    assert d(mean[8]) == (sum(scores) / 4).quantize(CENT, rounding=ROUND_HALF_UP)
    grades = {row[1]: row[2] for row in rows[12:16]}
    assert rows[11][1:3] == ["等级分布", "份数"] and len(rows) == 16
    assert grades == {"优": 4, "良": 0, "中": 0, "差": 0}

    problems = _rows(wb["问题清单"])
    assert problems[1] == ["序号", "项目名称", "来源文件", "级别", "代码", "位置", "说明"]
    listed = [p for p in problems[2:] if p[2] == str(errors)]
    assert len(listed) == len(issues) and len(problems) - 2 == len(issues)
    i02 = next(p for p in listed if p[4] == "I02")
    assert i02[3] == "错误" and i02[5] == "绩效指标 › 决策"
    assert i02[6] == "决策：下级分值合计 20.00，与设定分值 40.00 不符"

    unreadable = _rows(wb["无法读取"])
    assert unreadable[1] == ["序号", "文件", "原因"]
    assert unreadable[2][:2] == [1, str(broken)]
    assert "funds.sources[0].spent" in unreadable[2][2] and "abc" in unreadable[2][2]
    assert len(unreadable) == 3

    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.print_title_rows
    assert wb["汇总表"].print_title_rows == "$1:$3"


def test_summary_exit_codes(cli, reports, tmp_path):
    seeds, errors, broken, folder = reports
    out = tmp_path / "none.xlsx"
    r = cli("summary", str(broken), "--xlsx", str(out))
    assert r.returncode == 2 and not out.exists() and "没有可读取的报告" in r.stderr
    r = cli("summary", *seeds, "--xlsx", str(tmp_path / "no" / "such" / "dir.xlsx"))
    assert r.returncode == 3 and "无法写入" in r.stderr and "Traceback" not in r.stderr
    r = cli("summary", *seeds)
    assert r.returncode == 2 and "--xlsx" in r.stderr
    out = tmp_path / "ok.xlsx"
    out.write_bytes(b"old")
    r = cli("summary", str(errors), "--xlsx", str(out))
    assert r.returncode == 0 and openpyxl.load_workbook(out)["汇总表"]["B4"].value.startswith("2023年")


def test_aggregate_converts_units_and_leaves_unscored_reports_out_of_the_scores():
    from core.document import Document
    from core.model.templates import new_report
    from core.rules.aggregate import aggregate, summary_row
    from core.store.jsonio import loads

    yuan = loads(SEEDS["000"].read_text(encoding="utf-8"))
    yuan.funds.unit = "元"
    src = yuan.funds.sources[0]
    src.initial = src.adjusted = src.received = Decimal("1234567")  # 123.4567 万元 → 123.46
    src.spent = Decimal("1000000")
    transfer = new_report("transfer")
    transfer.funds.sources[0:0] = [type(src)(source="中央", initial=Decimal("100"), spent=Decimal("50"))]
    rows = []
    for name, report in (("元", yuan), ("转移支付", transfer)):
        doc = Document(report)
        rows.append(summary_row(name, report, doc.totals, doc.findings))
    agg = aggregate(rows, [])
    assert rows[0].adjusted == Decimal("123.46") and rows[0].spent == Decimal("100.00")
    assert rows[0].execution_rate == Decimal("81.00")
    assert agg.adjusted == Decimal("223.46") and agg.spent == Decimal("150.00")
    assert agg.execution_rate == Decimal("67.13")  # 150 ÷ 223.46
    assert agg.weighted_score == agg.mean_score == Decimal("96.00")  # only the scored report
    assert agg.unscored == 1 and agg.grades == {"优": 1, "良": 0, "中": 0, "差": 0}
